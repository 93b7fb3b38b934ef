import { describe, expect, it } from 'vitest'
import { createHandler } from '../http/handle-request'
import { createApp } from './create-app'
import { defineFunction } from './define-function'
import { closeApp } from './close-app'
import { wireHTTP } from './wire-http'

function request(url: string) {
  return {
    method: 'GET',
    url,
    headers: { accept: 'text/event-stream' },
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: new AbortController().signal,
  }
}

describe('closeApp', () => {
  it('ends open streams with a jittered retry, runs finally, and answers new requests 503', async () => {
    const app = createApp({ sse: { retryMs: 1000 } })
    let finallyRan = 0
    const forever = defineFunction({
      func: async function* () {
        try {
          for (let i = 0; ; i++) {
            yield i
            await new Promise((resolve) => setTimeout(resolve, 5))
          }
        } finally {
          finallyRan++
        }
      },
    })
    wireHTTP(app, { method: 'get', route: '/forever', func: forever })
    const handle = createHandler(app)
    const response = await handle(request('/forever'))
    const body = response.body as AsyncIterableIterator<string>
    await body.next()
    await body.next()
    expect(app.lifecycle.streams.size).toBe(1)
    await closeApp(app, { graceMs: 1000, spreadMs: 500 })
    let rest = ''
    for await (const chunk of body) rest += chunk
    const retry = Number(/retry: (\d+)\n\n$/.exec(rest)?.[1])
    expect(retry).toBeGreaterThanOrEqual(1000)
    expect(retry).toBeLessThan(1500)
    expect(rest).not.toContain('event: done')
    expect(finallyRan).toBe(1)
    expect(app.lifecycle.streams.size).toBe(0)
    const late = await handle(request('/forever'))
    expect(late.status).toBe(503)
    expect(late.headers['retry-after']).toBe('1')
  })

  it('resolves after graceMs when a function ignores its signal', async () => {
    const app = createApp()
    const stuck = defineFunction({
      func: async function* () {
        yield 1
        await new Promise(() => undefined) // never settles, never looks at signal
      },
    })
    wireHTTP(app, { method: 'get', route: '/stuck', func: stuck })
    const response = await createHandler(app)(request('/stuck'))
    const body = response.body as AsyncIterableIterator<string>
    await body.next()
    await body.next()
    await closeApp(app, { graceMs: 50 })
    expect(app.lifecycle.closing).toBe(true)
  })
})
