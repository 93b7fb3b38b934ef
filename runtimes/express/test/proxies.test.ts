import compression from 'compression'
import cors from 'cors'
import express, { type Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { createFixtureApp } from '@sluice/conformance/fixture'
import { expectUnbuffered } from '@sluice/conformance/suite'
import { listen, type Served } from '@sluice/node'
import { createExpressMiddleware } from '../src'

// Middleware users put in front of sluice: compression() and cors(). Each stream is the
// fixture's `/gated`, which only goes on once the client has read its first event.

const GZIP = { 'accept-encoding': 'gzip' }
const ORIGIN = 'http://app.example'

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

async function start(expressApp: Express): Promise<string> {
  const served = await listen(expressApp, { port: 0, host: '127.0.0.1' })
  running.push(served)
  return served.url
}

describe('behind compression()', () => {
  it("leaves streams alone: sluice's Cache-Control says no-transform", async () => {
    const url = await start(express().use(compression()).use(createExpressMiddleware(createFixtureApp())))
    const response = await expectUnbuffered(url, { headers: GZIP })
    expect(response.headers.get('content-encoding')).toBeNull()
  })

  it('flushes each event when a stream is compressed after all', async () => {
    // A Cache-Control of the user's own drops no-transform, so compression() gzips the
    // stream; only res.flush() after each write gets an event out of zlib at once.
    const app = createFixtureApp({ streamHeaders: { 'cache-control': 'private, no-cache' } })
    const url = await start(express().use(compression()).use(createExpressMiddleware(app)))
    const response = await expectUnbuffered(url, { headers: GZIP })
    expect(response.headers.get('content-encoding')).toBe('gzip')
  })

  it('waits for zlib to drain without piling up listeners', async () => {
    // compression() moves `drain` listeners onto its zlib stream, where `res.off` cannot remove
    // them: one listener per wait would pass Node's limit of 10 and warn of a leak.
    const warnings: string[] = []
    const onWarning = (warning: Error): number => warnings.push(warning.name)
    process.on('warning', onWarning)
    try {
      const app = createFixtureApp({ streamHeaders: { 'cache-control': 'no-cache' } })
      const url = await start(express().use(compression()).use(createExpressMiddleware(app)))
      // Each 100 kB event is more than zlib's 16 kB buffer takes: every write waits for drain.
      const response = await fetch(`${url}/big?bytes=100000&count=30`, {
        headers: { accept: 'text/event-stream', ...GZIP },
      })
      expect(response.headers.get('content-encoding')).toBe('gzip')
      expect(await response.text()).toContain('event: done\ndata: {"count":30}\n\n')
      await new Promise((resolve) => setImmediate(resolve)) // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings).toEqual([])
  })

  it('still compresses JSON answers', async () => {
    const app = createFixtureApp()
    const url = await start(
      express()
        .use(compression({ threshold: 0 }))
        .use(createExpressMiddleware(app)),
    )
    const response = await fetch(`${url}/health`, { headers: GZIP })
    expect(response.headers.get('content-encoding')).toBe('gzip')
    expect(await response.json()).toEqual({ ok: true })
  })
})

describe('behind cors() for one origin, with credentials', () => {
  async function startWithCors(): Promise<string> {
    const options: cors.CorsOptions = {
      origin: [ORIGIN],
      credentials: true,
      allowedHeaders: ['authorization', 'content-type', 'last-event-id'],
    }
    return start(express().use(cors(options)).use(createExpressMiddleware(createFixtureApp())))
  }

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
      'authorization,content-type,last-event-id',
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
