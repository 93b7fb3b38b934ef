import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import cors from '@fastify/cors'
import { createApp, defineFunction, wireHTTP, type App } from '@sluice/core'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { sluicePlugin } from '../src/index'

// What only a Fastify user sees: the plugin living among Fastify's own prefixes, hooks,
// 404 and error handlers, parsers and plugins. The wire protocol is the conformance suite's.

function createTestApp(bodyBytes?: number): App {
  const app = createApp({ limits: { bodyBytes }, onError: () => undefined })
  wireHTTP(app, { method: 'get', route: '/health', func: defineFunction({ func: () => ({ ok: true }) }) })
  wireHTTP(app, {
    method: 'post',
    route: '/echo',
    func: defineFunction({ func: ({ input }) => ({ input }) }),
  })
  const ticks = defineFunction({
    func: async function* () {
      yield { n: 1 }
      yield { n: 2 }
      return { count: 2 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/ticks', func: ticks })
  return app
}

const servers: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((fastify) => fastify.close()))
})

/** Builds a Fastify server as a user would, lets the test set it up, and listens on 127.0.0.1. */
async function start(setup: (fastify: FastifyInstance) => PromiseLike<unknown>): Promise<string> {
  const fastify = Fastify({ forceCloseConnections: true })
  servers.push(fastify)
  await setup(fastify)
  return fastify.listen({ port: 0, host: '127.0.0.1' })
}

function post(url: string, body: string, type = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body })
}

async function errorCode(response: Response): Promise<string> {
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
  return ((await response.json()) as { error: { code: string } }).error.code
}

describe('sluicePlugin on Fastify', () => {
  it('mounts under a prefix, and only there', async () => {
    const url = await start((fastify) =>
      fastify.register(sluicePlugin, { app: createTestApp(), prefix: '/api' }),
    )
    const mounted = await fetch(`${url}/api/health`)
    expect(mounted.status).toBe(200)
    expect(await mounted.json()).toEqual({ ok: true })
    expect((await fetch(`${url}/health`)).status).toBe(404)
  })

  it("leaves unknown paths to the user's setNotFoundHandler", async () => {
    const url = await start(async (fastify) => {
      fastify.setNotFoundHandler((_request, reply) => reply.code(404).send({ mine: 'not here' }))
      await fastify.register(sluicePlugin, { app: createTestApp(), prefix: '/api' })
    })
    const response = await fetch(`${url}/api/nowhere`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ mine: 'not here' })
  })

  it("runs the user's onRequest hook for sluice routes", async () => {
    const seen: string[] = []
    const url = await start(async (fastify) => {
      fastify.addHook('onRequest', async (request) => {
        seen.push(`${request.method} ${request.url}`)
      })
      await fastify.register(sluicePlugin, { app: createTestApp() })
    })
    expect((await fetch(`${url}/health`)).status).toBe(200)
    expect(seen).toEqual(['GET /health'])
  })

  it('keeps @fastify/cors headers on a JSON answer and on an SSE stream', async () => {
    const origin = 'https://app.example'
    const url = await start(async (fastify) => {
      await fastify.register(cors, { origin })
      await fastify.register(sluicePlugin, { app: createTestApp() })
    })
    const json = await fetch(`${url}/health`, { headers: { origin } })
    expect(json.headers.get('access-control-allow-origin')).toBe(origin)
    const stream = await fetch(`${url}/ticks`, { headers: { origin, accept: 'text/event-stream' } })
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(stream.headers.get('access-control-allow-origin')).toBe(origin)
    expect(await stream.text()).toContain('event: done\ndata: {"count":2}\n\n')
  })

  it("runs a stalled stream's finally once its client leaves (what @fastify/sse 0.6 misses)", async () => {
    const app = createApp()
    const state = { pulled: 0, finalized: false }
    const flood = defineFunction({
      func: async function* () {
        try {
          for (;;) {
            state.pulled++
            yield 'x'.repeat(65536)
          }
        } finally {
          state.finalized = true
        }
      },
    })
    wireHTTP(app, { method: 'get', route: '/flood', func: flood })
    const url = new URL(await start((fastify) => fastify.register(sluicePlugin, { app })))
    const socket = connect(Number(url.port), url.hostname)
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(`GET /flood HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`)
    socket.pause()
    let before = -1
    while (before !== state.pulled) {
      before = state.pulled
      await sleep(100) // until the full socket stops the pulls
    }
    expect(state.finalized).toBe(false)
    socket.destroy()
    while (!state.finalized) await sleep(10)
    expect(state.pulled).toBe(before)
  })

  it("answers a text/plain body (Fastify's default parser gives a string) with a 415 in sluice's shape", async () => {
    const url = await start((fastify) => fastify.register(sluicePlugin, { app: createTestApp() }))
    const response = await post(`${url}/echo`, '{"message":"hi"}', 'text/plain')
    expect(response.status).toBe(415)
    expect(await errorCode(response)).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  it("answers a body over the app's limit (not Fastify's 1 MiB) with a 413 in sluice's shape", async () => {
    const url = await start((fastify) => fastify.register(sluicePlugin, { app: createTestApp(64) }))
    const response = await post(`${url}/echo`, JSON.stringify({ message: 'x'.repeat(100) }))
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', details: { limit: 64 } },
    })
    const small = await post(`${url}/echo`, JSON.stringify({ message: 'x' }))
    expect(await small.json()).toEqual({ input: { message: 'x' } })
  })

  it("leaves errors that are not sluice's to the user's error handler", async () => {
    const url = await start(async (fastify) => {
      fastify.setErrorHandler((error, _request, reply) =>
        reply.code(418).send({ mine: (error as Error).message }),
      )
      fastify.addHook('onRequest', async (request) => {
        if (request.headers['x-refuse'] !== undefined) throw new Error('refused by a hook')
      })
      await fastify.register(sluicePlugin, { app: createTestApp() })
    })
    const refused = await fetch(`${url}/health`, { headers: { 'x-refuse': '1' } })
    expect(refused.status).toBe(418)
    expect(await refused.json()).toEqual({ mine: 'refused by a hook' })
    const tooLarge = await post(`${url}/echo`, JSON.stringify({ message: 'x'.repeat(2 * 1024 * 1024) }))
    expect(await errorCode(tooLarge)).toBe('PAYLOAD_TOO_LARGE')
  })

  it("hands a header value node refuses to Fastify's error path: its 500, never a hang", async () => {
    const app = createApp({ onError: () => undefined })
    const note = defineFunction({
      func: ({ setHeader }) => {
        setHeader('x-note', 'price: 5 \u20ac') // above U+00FF: core passes it, node refuses it
        return { ok: true }
      },
    })
    wireHTTP(app, { method: 'get', route: '/note', func: note })
    const url = await start((fastify) => fastify.register(sluicePlugin, { app }))
    const response = await fetch(`${url}/note`, { signal: AbortSignal.timeout(5000) })
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({ statusCode: 500, code: 'ERR_INVALID_CHAR' })
  })

  it("uses a JSON parser the user registered, and reads application/*+json as core's runtimes do", async () => {
    const url = await start(async (fastify) => {
      fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        done(null, { parsedBy: 'user', length: body.length })
      })
      await fastify.register(sluicePlugin, { app: createTestApp() })
    })
    const user = await post(`${url}/echo`, '{}')
    expect(await user.json()).toEqual({ input: { parsedBy: 'user', length: 2 } })
    const patch = await post(`${url}/echo`, '{"op":"x"}', 'application/merge-patch+json')
    expect(await patch.json()).toEqual({ input: { op: 'x' } })
  })

  it('treats an empty JSON body as no body, like node:http', async () => {
    const url = await start((fastify) => fastify.register(sluicePlugin, { app: createTestApp() }))
    const response = await post(`${url}/echo`, '')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ input: {} })
  })

  it('never gets a route whose :param Fastify would read differently: wireHTTP refuses it on every runtime', () => {
    const app = createApp()
    expect(() =>
      wireHTTP(app, { method: 'get', route: '/users/:user-id', func: defineFunction({ func: () => null }) }),
    ).toThrow(/route "\/users\/:user-id": ":user-id" is not a param name/)
  })
})
