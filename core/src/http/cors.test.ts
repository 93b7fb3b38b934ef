import { describe, expect, it } from 'vitest'
import type { CoreRequest } from '../adapter/types'
import { createApp, type App } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import { resolveCors, type CorsOptions } from './cors'
import { createPreflightHandler } from './create-preflight-handler'
import { createHandler, createRouteHandler } from './handle-request'

const ORIGIN = 'https://app.example'

function request(method: string, url: string, headers: Record<string, string> = {}): CoreRequest {
  return {
    method,
    url,
    headers,
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: new AbortController().signal,
  }
}

const CREDENTIALED: CorsOptions = { origin: [ORIGIN], credentials: true }

// null: an app without the cors option.
function corsApp(cors: CorsOptions | null = CREDENTIALED): App {
  const app = createApp({ cors: cors ?? undefined, onError: () => undefined, sse: { heartbeatMs: 0 } })
  wireHTTP(app, { method: 'get', route: '/items/:id', func: defineFunction({ func: ({ input }) => input }) })
  wireHTTP(app, { method: 'post', route: '/items/:id', func: defineFunction({ func: () => ({ ok: true }) }) })
  const fail = defineFunction({
    func: () => {
      throw new WireError('FORBIDDEN', 'no')
    },
  })
  wireHTTP(app, { method: 'get', route: '/fail', func: fail })
  const ticks = defineFunction({
    func: async function* () {
      yield { n: 1 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/ticks', func: ticks })
  wireHTTP(app, {
    method: 'get',
    route: '/status',
    func: defineFunction({ func: () => ({ s: 1 }) }),
    sse: true,
  })
  return app
}

const preflightHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  origin: ORIGIN,
  'access-control-request-method': 'POST',
  ...extra,
})

describe('resolveCors', () => {
  it('refuses *, which cannot go with credentials, and anything that is not an origin', () => {
    expect(() => resolveCors({ origin: ['*'] })).toThrow(/cannot be "\*"/)
    expect(() => resolveCors({ origin: ['app.example'] })).toThrow(/not an origin/)
    expect(() => resolveCors({ origin: [ORIGIN], maxAge: -1 })).toThrow(/maxAge/)
  })

  it('matches a configured origin in any spelling browsers would normalise', () => {
    const cors = resolveCors({ origin: ['HTTPS://App.Example:443/', 'null'] })
    expect(cors?.allows(ORIGIN)).toBe(true)
    expect(cors?.allows('null')).toBe(true)
    expect(cors?.allows('https://app.example.evil')).toBe(false)
    expect(resolveCors({ origin: (origin) => origin.endsWith('.example') })?.allows(ORIGIN)).toBe(true)
    expect(resolveCors(undefined)).toBeUndefined()
  })
})

describe('preflight', () => {
  it('answers an allowed origin with 204, its methods, the asked headers and credentials', async () => {
    const headers = preflightHeaders({ 'access-control-request-headers': 'authorization,last-event-id' })
    const response = await createHandler(corsApp())(request('OPTIONS', '/items/1', headers))
    expect(response.status).toBe(204)
    expect(response.body).toBeUndefined()
    expect(response.headers).toEqual({
      allow: 'GET, POST, HEAD',
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, HEAD',
      'access-control-allow-headers': 'authorization,last-event-id',
      vary: 'access-control-request-headers, origin',
    })
  })

  it('allows only the configured headers, and states maxAge', async () => {
    const app = corsApp({ origin: [ORIGIN], allowHeaders: ['authorization', 'last-event-id'], maxAge: 600 })
    const headers = preflightHeaders({ 'access-control-request-headers': 'x-anything' })
    const response = await createHandler(app)(request('OPTIONS', '/items/1', headers))
    expect(response.headers['access-control-allow-headers']).toBe('authorization, last-event-id')
    expect(response.headers['access-control-max-age']).toBe('600')
    expect(response.headers['access-control-allow-credentials']).toBeUndefined()
    expect(response.headers['vary']).toBe('origin')
  })

  it('gives another origin a 204 without any Access-Control header', async () => {
    const headers = preflightHeaders({ origin: 'https://evil.example' })
    const response = await createHandler(corsApp())(request('OPTIONS', '/items/1', headers))
    expect(response.status).toBe(204)
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
  })

  it('is answered before a framework gets the request, and only on wired paths', async () => {
    const handle = createHandler(corsApp(), { passUnmatched: true })
    expect((await handle(request('OPTIONS', '/items/1', preflightHeaders())))?.status).toBe(204)
    expect(await handle(request('OPTIONS', '/elsewhere', preflightHeaders()))).toBeUndefined()
    const unknown = await createHandler(corsApp())(request('OPTIONS', '/elsewhere', preflightHeaders()))
    expect(unknown.status).toBe(404)
  })

  it('is a 405 as before without the cors option', async () => {
    const response = await createHandler(corsApp(null))(request('OPTIONS', '/items/1', preflightHeaders()))
    expect(response.status).toBe(405)
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('is available per path to a framework that routes OPTIONS itself', async () => {
    const preflight = createPreflightHandler(corsApp(), '/items/:id')
    const response = await preflight?.(request('OPTIONS', '/api/items/1', preflightHeaders()))
    expect(response?.headers['access-control-allow-methods']).toBe('GET, POST, HEAD')
    expect(response?.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(createPreflightHandler(corsApp(null), '/items/:id')).toBeUndefined()
  })
})

describe('CORS headers on answers', () => {
  const expectAllowed = (headers: Record<string, string | string[]>): void => {
    expect(headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(headers['access-control-allow-credentials']).toBe('true')
  }

  it('are on JSON answers, errors and streams, with Vary: Origin', async () => {
    const handle = createHandler(corsApp({ origin: [ORIGIN], credentials: true, exposeHeaders: ['x-id'] }))
    const json = await handle(request('GET', '/items/1', { origin: ORIGIN }))
    expectAllowed(json.headers)
    expect(json.headers['access-control-expose-headers']).toBe('x-id')
    expect(json.headers['vary']).toBe('origin')
    const error = await handle(request('GET', '/fail', { origin: ORIGIN }))
    expect(error.status).toBe(403)
    expectAllowed(error.headers)
    const stream = await handle(request('GET', '/ticks', { origin: ORIGIN }))
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expectAllowed(stream.headers)
    const progressive = await handle(
      request('GET', '/status', { origin: ORIGIN, accept: 'text/event-stream' }),
    )
    expectAllowed(progressive.headers)
    expect(progressive.headers['vary']).toBe('accept, origin')
  })

  it('are absent for another origin or none, while Vary still names Origin', async () => {
    const handle = createHandler(corsApp())
    for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
      const response = await handle(request('GET', '/items/1', headers))
      expect(response.headers['access-control-allow-origin']).toBeUndefined()
      expect(response.headers['vary']).toBe('origin')
    }
  })

  it("are added to a framework route handler's answers too", async () => {
    const app = corsApp()
    const route = app.routes[0]
    if (route === undefined) throw new Error('no route')
    const response = await createRouteHandler(app, route)(request('GET', '/items/1', { origin: ORIGIN }), {
      id: '1',
    })
    expectAllowed(response.headers)
  })
})
