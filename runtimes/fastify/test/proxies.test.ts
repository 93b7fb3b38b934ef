import { constants } from 'node:zlib'
import compress from '@fastify/compress'
import cors from '@fastify/cors'
import { createFixtureApp } from '@sluice/conformance/fixture'
import { expectUnbuffered } from '@sluice/conformance/suite'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { sluicePlugin } from '../src/index'

// Plugins users register next to sluice: @fastify/compress and @fastify/cors. Each stream is
// the fixture's `/gated`, which only goes on once the client has read its first event.

const ORIGIN = 'http://app.example'

const servers: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((fastify) => fastify.close()))
})

async function start(setup: (fastify: FastifyInstance) => PromiseLike<unknown>): Promise<string> {
  const fastify = Fastify({ forceCloseConnections: true })
  servers.push(fastify)
  await setup(fastify)
  await fastify.register(sluicePlugin, { app: createFixtureApp() })
  return fastify.listen({ port: 0, host: '127.0.0.1' })
}

describe('with @fastify/compress', () => {
  it('leaves streams alone by default: text/event-stream is not in its compressible types', async () => {
    const url = await start((fastify) => fastify.register(compress, { threshold: 0 }))
    const response = await expectUnbuffered(url, { headers: { 'accept-encoding': 'gzip' } })
    expect(response.headers.get('content-encoding')).toBeNull()
    const json = await fetch(`${url}/health`, { headers: { 'accept-encoding': 'gzip' } })
    expect(json.headers.get('content-encoding')).toBe('gzip')
    expect(await json.json()).toEqual({ ok: true })
  })

  // A user who compresses every text type compresses streams too; zlib then holds events
  // until its buffer fills, unless every write is flushed (the documented settings).
  for (const encoding of ['gzip', 'br']) {
    it(`flushes each event when streams are compressed (${encoding}, flush settings)`, async () => {
      const url = await start((fastify) =>
        fastify.register(compress, {
          threshold: 0,
          customTypes: /^text\/|\/json(?:;|$)/,
          zlibOptions: { flush: constants.Z_SYNC_FLUSH },
          brotliOptions: { flush: constants.BROTLI_OPERATION_FLUSH },
        }),
      )
      const response = await expectUnbuffered(url, { headers: { 'accept-encoding': encoding } })
      expect(response.headers.get('content-encoding')).toBe(encoding)
      const json = await fetch(`${url}/health`, { headers: { 'accept-encoding': encoding } })
      expect(json.headers.get('content-encoding')).toBe(encoding)
      expect(await json.json()).toEqual({ ok: true })
    })
  }
})

describe('with @fastify/cors for one origin, with credentials', () => {
  const startWithCors = (): Promise<string> =>
    start((fastify) =>
      fastify.register(cors, {
        origin: [ORIGIN],
        credentials: true,
        allowedHeaders: ['authorization', 'content-type', 'last-event-id'],
      }),
    )

  it('answers a preflight for Authorization and Last-Event-ID', async () => {
    const url = await startWithCors()
    const response = await fetch(`${url}/count`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, last-event-id',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, last-event-id',
    )
  })

  it('echoes the exact origin with credentials on a resumed stream, never *', async () => {
    const url = await startWithCors()
    const response = await fetch(`${url}/count?to=3`, {
      headers: { origin: ORIGIN, authorization: 'Bearer ok', 'last-event-id': '2' },
    })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(await response.text()).toContain('id: 3\ndata: {"i":3}\n\nevent: done\ndata: {"total":3}\n\n')
  })

  it('gives another origin no Access-Control-Allow-Origin', async () => {
    const url = await startWithCors()
    const response = await fetch(`${url}/count?to=1`, { headers: { origin: 'http://evil.example' } })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    await response.body?.cancel()
  })
})
