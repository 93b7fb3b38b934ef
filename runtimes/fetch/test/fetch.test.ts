import { setTimeout as sleep } from 'node:timers/promises'
import { createApp, defineFunction, wireHTTP } from '@sluice/core'
import { createFetchHandler } from '@sluice/fetch'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

// An app whose stream counts how far its generator got, and whether its `finally` ran.
function countingApp(sse: { slowConsumerMs?: number } = {}) {
  const state = { yielded: 0, finalized: false, echoed: 0, waiting: false, aborted: false }
  const app = createApp({ limits: { bodyBytes: 1024 }, sse })
  const flood = defineFunction({
    func: async function* () {
      try {
        for (;;) {
          state.yielded++
          yield 'x'.repeat(100)
        }
      } finally {
        state.finalized = true
      }
    },
  })
  wireHTTP(app, { method: 'get', route: '/flood', func: flood })
  const echo = defineFunction({
    input: z.object({ message: z.string() }),
    func: ({ input }) => {
      state.echoed++
      return input
    },
  })
  wireHTTP(app, { method: 'post', route: '/echo', func: echo })
  // A plain (JSON) function that waits until its signal says the caller left.
  const wait = defineFunction({
    func: async ({ signal }) => {
      state.waiting = true
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      state.aborted = true
      return { aborted: true }
    },
  })
  wireHTTP(app, { method: 'get', route: '/wait', func: wait })
  return { handler: createFetchHandler(app), state }
}

// A few event-loop turns: what a generator running ahead of its reader would use to run away.
const turns = () => sleep(20)

describe('createFetchHandler', () => {
  it('pulls a stream only as the reader reads, and cancel runs the generator finally', async () => {
    const { handler, state } = countingApp()
    const response = await handler('http://app.test/flood')
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    let received = 0
    for (let read = 0; read < 3; read++) received += (await reader.read()).value?.byteLength ?? 0
    await turns()
    const after = state.yielded
    await turns()
    // Nothing is computed while nobody reads, and what was is bounded by what the reader took
    // plus one of core's batches (64 Ki characters; each event here is over 100 bytes).
    expect(state.yielded).toBe(after)
    expect(state.yielded * 100).toBeLessThanOrEqual(received + 64 * 1024)
    await reader.cancel()
    expect(state.finalized).toBe(true)
  })

  it('a reader that stops for slowConsumerMs gets an errored body, not a clean end', async () => {
    const { handler, state } = countingApp({ slowConsumerMs: 100 })
    const response = await handler('http://app.test/flood')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    const deadline = Date.now() + 3000
    while (!state.finalized && Date.now() < deadline) await sleep(20)
    expect(state.finalized).toBe(true)
    // An errored body is what makes a runtime break the connection rather than end the body.
    const end = await (async () => {
      for (;;) if ((await reader.read()).done) return 'clean end'
    })().catch((error: unknown) => error)
    expect(end).toBeInstanceOf(Error)
  })

  it("a caller that leaves aborts a plain function's signal through request.signal", async () => {
    const { handler, state } = countingApp()
    const controller = new AbortController()
    const answer = handler('http://app.test/wait', { signal: controller.signal })
    while (!state.waiting) await sleep(1)
    controller.abort()
    const deadline = Date.now() + 1000
    while (!state.aborted && Date.now() < deadline) await sleep(5)
    expect(state.aborted).toBe(true)
    // No one reads the answer; it still settles instead of hanging.
    await answer.catch(() => undefined)
  })

  it('refuses a chunked body past limits.bodyBytes with a 413, without reading the rest', async () => {
    const { handler, state } = countingApp()
    let pulled = 0
    // A 256 KiB request body with no Content-Length: only counting while reading can stop it.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulled > 1000) controller.close()
        else controller.enqueue(new TextEncoder().encode('{"message":"'.padEnd(256, 'x')))
      },
    })
    const response = await handler('http://app.test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } })
    await turns()
    expect(pulled).toBeLessThanOrEqual(1024 / 256 + 2)
    expect(state.echoed).toBe(0)
  })

  it('refuses a declared Content-Length past the limit unread', async () => {
    const { handler } = countingApp()
    const request = new Request('http://app.test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '5000' },
      body: JSON.stringify({ message: 'x'.repeat(4000) }),
    })
    expect(request.headers.get('content-length')).toBe('5000')
    const response = await handler(request)
    expect(response.status).toBe(413)
    expect(request.bodyUsed).toBe(false)
  })

  it('answers HEAD and a JSON value with the right bodies', async () => {
    const { handler } = countingApp()
    const head = await handler('http://app.test/flood', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBeNull()
    const echo = await handler('http://app.test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi' }),
    })
    expect(await echo.json()).toEqual({ message: 'hi' })
  })
})
