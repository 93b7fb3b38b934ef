import { describe, expect, it } from 'vitest'
import { createHandler } from '../http/handle-request'
import { withEvent } from '../stream/with-event'
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

  it('takes back as Last-Event-ID exactly the ids withEvent lets a stream send', async () => {
    const handle = streamingApp({})
    const visible = String.fromCharCode(...Array.from({ length: 94 }, (_, k) => 0x21 + k))
    const candidates = ['', 'a', '7', 'a b', 'a  b', visible, ' a', 'a ', ' ', 'a\tb', 'a\u007fb']
    candidates.push('\u0080', 'caf\u00e9', '\u00c3\u00a9', '\u00ff', '\u65e5', '\u{1f600}', 'x'.repeat(1025))
    for (const id of candidates) {
      const sendable = ((): boolean => {
        try {
          withEvent({ id }, 1)
          return true
        } catch {
          return false
        }
      })()
      const { status } = await open(handle, '/forever', { 'last-event-id': id })
      // 1025 characters pass withEvent but not the default limits.lastEventIdBytes (1024).
      expect([id, status]).toEqual([id, sendable && id.length <= 1024 ? 200 : 400])
    }
  })

  it('ends a stream with an error instead of sending an id longer than lastEventIdBytes', async () => {
    const errors: unknown[] = []
    const app = createApp({ limits: { lastEventIdBytes: 16 }, onError: (error) => void errors.push(error) })
    const ids = defineFunction({
      func: async function* () {
        yield withEvent({ id: 'x'.repeat(16) }, 1)
        yield withEvent({ id: 'x'.repeat(17) }, 2)
        return 'unreachable'
      },
    })
    wireHTTP(app, { method: 'get', route: '/ids', func: ids })
    const response = await createHandler(app)(request('/ids'))
    let text = ''
    for await (const chunk of response.body as AsyncIterable<string>) text += chunk
    expect(text).toContain(`id: ${'x'.repeat(16)}\ndata: 1\n\n`)
    expect(text).not.toContain('x'.repeat(17))
    expect(text).toContain('event: error\ndata: {"code":"INTERNAL"')
    expect(String(errors[0])).toMatch(/longer than limits\.lastEventIdBytes \(16\)/)
  })
})
