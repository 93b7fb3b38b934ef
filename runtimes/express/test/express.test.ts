import cors from 'cors'
import express, { type Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp, defineFunction, wireHTTP, type App } from '@sluice/core'
import { listen, type Served } from '@sluice/node'
import { createExpressMiddleware } from '../src'

const ORIGIN = 'http://example.test'
const SSE = { accept: 'text/event-stream' }
const TICKS = 'data: {"n":1}\n\ndata: {"n":2}\n\nevent: done\ndata: {"total":2}\n\n'

// A small app with a 1 KiB body limit, so a body over it is cheap to send.
function createSluiceApp(): App {
  const app = createApp({ limits: { bodyBytes: 1024 }, onError: () => undefined })
  wireHTTP(app, { method: 'get', route: '/health', func: defineFunction({ func: () => ({ ok: true }) }) })
  const echo = defineFunction({
    input: z.object({ message: z.string() }),
    func: ({ input }) => ({ message: input.message }),
  })
  wireHTTP(app, { method: 'post', route: '/echo', func: echo })
  const ticks = defineFunction({
    func: async function* () {
      yield { n: 1 }
      yield { n: 2 }
      return { total: 2 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/ticks', func: ticks })
  const status = defineFunction({ func: () => ({ state: 'initial' }) })
  wireHTTP(app, { method: 'get', route: '/status', func: status, sse: true })
  return app
}

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

async function start(expressApp: Express): Promise<string> {
  const served = await listen(expressApp, { port: 0, host: '127.0.0.1' })
  running.push(served)
  return served.url
}

function postJson(url: string, body: string, type = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body })
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code
}

describe('createExpressMiddleware', () => {
  it('hands an unknown path to next(), so a later Express route answers it', async () => {
    const expressApp = express().use(createExpressMiddleware(createSluiceApp()))
    expressApp.get('/other', (_req, res) => {
      res.json({ from: 'express' })
    })
    const url = await start(expressApp)
    expect(await (await fetch(`${url}/other`)).json()).toEqual({ from: 'express' })
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true })
  })

  it('hands a method the sluice path lacks to a later Express route of that method', async () => {
    const expressApp = express().use(createExpressMiddleware(createSluiceApp()))
    expressApp.delete('/health', (_req, res) => {
      res.status(202).json({ deleted: true })
    })
    const url = await start(expressApp)
    const deleted = await fetch(`${url}/health`, { method: 'DELETE' })
    expect(deleted.status).toBe(202)
    expect(await deleted.json()).toEqual({ deleted: true })
    // Nobody takes PUT: Express's own 404, not sluice's 405.
    const put = await fetch(`${url}/health`, { method: 'PUT' })
    expect(put.status).toBe(404)
    expect(put.headers.get('content-type')).toContain('text/html')
  })

  it('answers unmatched requests itself with passUnmatched: false (JSON 404, 405 with Allow)', async () => {
    const expressApp = express().use(
      '/api',
      createExpressMiddleware(createSluiceApp(), { passUnmatched: false }),
    )
    const url = await start(expressApp)
    const missing = await fetch(`${url}/api/nowhere`)
    expect(missing.status).toBe(404)
    expect(await errorCode(missing)).toBe('NOT_FOUND')
    const wrong = await fetch(`${url}/api/health`, { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
  })

  it('takes the body express.json() parsed upstream, and still refuses prototype keys', async () => {
    let parsedByExpress = 0
    const expressApp = express()
      .use(
        express.json({
          verify: () => {
            parsedByExpress++
          },
        }),
      )
      .use(createExpressMiddleware(createSluiceApp()))
    const url = await start(expressApp)
    const valid = await postJson(`${url}/echo`, JSON.stringify({ message: 'hi' }))
    expect(valid.status).toBe(200)
    expect(await valid.json()).toEqual({ message: 'hi' })
    const polluting = await postJson(`${url}/echo`, '{"message":"x","__proto__":{"polluted":true}}')
    expect(polluting.status).toBe(400)
    expect(await errorCode(polluting)).toBe('BAD_REQUEST')
    expect(parsedByExpress).toBe(2)
    // A body express.json() leaves alone is read by sluice, which refuses its type.
    const form = await postJson(`${url}/echo`, 'message=hi', 'application/x-www-form-urlencoded')
    expect(form.status).toBe(415)
    expect(await errorCode(form)).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  it('checks the content type of a body another parser consumed (express.urlencoded())', async () => {
    const expressApp = express().use(express.urlencoded()).use(createExpressMiddleware(createSluiceApp()))
    const url = await start(expressApp)
    const form = await postJson(`${url}/echo`, 'message=hi', 'application/x-www-form-urlencoded')
    expect(form.status).toBe(415)
  })

  it('decodes bytes express.raw() kept, under sluice body limit', async () => {
    const expressApp = express()
      .use(express.raw({ type: 'application/json' }))
      .use(createExpressMiddleware(createSluiceApp()))
    const url = await start(expressApp)
    const valid = await postJson(`${url}/echo`, JSON.stringify({ message: 'raw' }))
    expect(await valid.json()).toEqual({ message: 'raw' })
    // Within express.raw()'s 100 KB, past sluice's 1 KiB.
    const large = await postJson(`${url}/echo`, JSON.stringify({ message: 'x'.repeat(2048) }))
    expect(large.status).toBe(413)
    expect(await errorCode(large)).toBe('PAYLOAD_TOO_LARGE')
  })

  it('keeps cors() headers on a JSON answer and on an SSE stream', async () => {
    const expressApp = express().use(cors()).use(createExpressMiddleware(createSluiceApp()))
    const url = await start(expressApp)
    const json = await fetch(`${url}/health`, { headers: { origin: ORIGIN } })
    expect(json.headers.get('access-control-allow-origin')).toBe('*')
    expect(await json.json()).toEqual({ ok: true })
    const stream = await fetch(`${url}/ticks`, { headers: { origin: ORIGIN, ...SSE } })
    expect(stream.headers.get('access-control-allow-origin')).toBe('*')
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(await stream.text()).toContain(TICKS)
  })

  it("merges an upstream Vary (cors' Origin) with sluice's Accept", async () => {
    const expressApp = express()
      .use(cors({ origin: true }))
      .use(createExpressMiddleware(createSluiceApp()))
    const url = await start(expressApp)
    for (const headers of [{ origin: ORIGIN }, { origin: ORIGIN, ...SSE }]) {
      const response = await fetch(`${url}/status`, { headers })
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(response.headers.get('vary')?.toLowerCase()).toBe('origin, accept')
      await response.body?.cancel()
    }
  })

  it('works mounted under /api', async () => {
    const expressApp = express().use('/api', createExpressMiddleware(createSluiceApp()))
    const url = await start(expressApp)
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ ok: true })
    const echo = await postJson(`${url}/api/echo`, JSON.stringify({ message: 'mounted' }))
    expect(await echo.json()).toEqual({ message: 'mounted' })
    expect(await (await fetch(`${url}/api/ticks`)).text()).toContain(TICKS)
    expect((await fetch(`${url}/health`)).status).toBe(404)
  })

  it('answers a plain POST body over the limit with a 413', async () => {
    const url = await start(express().use(createExpressMiddleware(createSluiceApp())))
    const response = await postJson(`${url}/echo`, JSON.stringify({ message: 'x'.repeat(2048) }))
    expect(response.status).toBe(413)
    expect(response.headers.get('connection')).toBe('close')
    expect(await errorCode(response)).toBe('PAYLOAD_TOO_LARGE')
  })
})
