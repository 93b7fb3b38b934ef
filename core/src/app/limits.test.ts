import { describe, expect, it } from 'vitest'
import { createHandler } from '../http/handle-request'
import { createApp, type AppOptions } from './create-app'
import { defineFunction } from './define-function'
import { wireHTTP } from './wire-http'

function request(url: string, headers: Record<string, string> = {}) {
  return {
    method: 'GET',
    url,
    headers: { accept: 'text/event-stream', ...headers },
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: new AbortController().signal,
  }
}

function streamingApp(options: AppOptions) {
  const app = createApp({
    ...options,
    authenticate: (info) => info.headers['x-user'],
  })
  const forever = defineFunction({
    func: async function* () {
      for (let i = 0; ; i++) {
        yield i
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    },
  })
  const status = defineFunction({ func: () => ({ ok: true }) })
  wireHTTP(app, { method: 'get', route: '/forever', func: forever })
  wireHTTP(app, { method: 'get', route: '/status', func: status, sse: true })
  return createHandler(app)
}

async function open(handle: ReturnType<typeof streamingApp>, url: string, headers?: Record<string, string>) {
  const response = await handle(request(url, headers))
  const body = response.status === 200 ? (response.body as AsyncIterableIterator<string>) : undefined
  await body?.next()
  return { status: response.status, response, body }
}

describe('limits', () => {
  it('answers 429 past maxStreams, for generators and progressive streams, and frees slots', async () => {
    const handle = streamingApp({ limits: { maxStreams: 2 } })
    const a = await open(handle, '/forever')
    const b = await open(handle, '/status')
    expect([a.status, b.status]).toEqual([200, 200])
    const c = await open(handle, '/forever')
    expect(c.status).toBe(429)
    const body = c.response.body as string | Uint8Array
    expect(JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body))).toMatchObject({
      error: { code: 'TOO_MANY_REQUESTS' },
    })
    expect((await open(handle, '/status')).status).toBe(429)
    await a.body?.return?.()
    expect((await open(handle, '/forever')).status).toBe(200)
  })

  it('answers 429 past maxStreamsPerSession for that session only', async () => {
    const handle = streamingApp({ limits: { maxStreamsPerSession: 1 } })
    expect((await open(handle, '/forever', { 'x-user': 'ann' })).status).toBe(200)
    expect((await open(handle, '/forever', { 'x-user': 'ann' })).status).toBe(429)
    expect((await open(handle, '/forever', { 'x-user': 'bob' })).status).toBe(200)
    // Without a session there is no per-session count.
    expect((await open(handle, '/forever')).status).toBe(200)
    expect((await open(handle, '/forever')).status).toBe(200)
  })

  it('refuses a Last-Event-ID that is too long or holds control characters, before user code', async () => {
    const handle = streamingApp({ limits: { lastEventIdBytes: 16 } })
    expect((await open(handle, '/forever', { 'last-event-id': 'x'.repeat(16) })).status).toBe(200)
    expect((await open(handle, '/forever', { 'last-event-id': 'x'.repeat(17) })).status).toBe(400)
    expect((await open(handle, '/forever', { 'last-event-id': 'a\u0001b' })).status).toBe(400)
    expect((await open(handle, '/forever', { 'last-event-id': 'a\tb' })).status).toBe(400)
  })
})
