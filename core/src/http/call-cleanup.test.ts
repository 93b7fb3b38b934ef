import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { CoreRequest } from '../adapter/types'
import { createApp, type AppOptions } from '../app/create-app'
import { defineFunction, type Channel, type FunctionContext } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import { createHandler } from './handle-request'

type AnyContext = FunctionContext<unknown, unknown, unknown>

function sseRequest(url: string): CoreRequest & { client: AbortController } {
  const client = new AbortController()
  return {
    method: 'GET',
    url,
    headers: { accept: 'text/event-stream' },
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: client.signal,
    client,
  }
}

// A progressive function as users write one: a timer that sends on the channel until the
// signal aborts, started before the function decides its answer.
function ticking(ctx: AnyContext, ticks: { count: number }): void {
  const channel = ctx.channel as Channel<unknown, unknown>
  const timer = setInterval(() => {
    ticks.count++
    channel.send({ tick: ticks.count })
  }, 10)
  ctx.signal.addEventListener('abort', () => clearInterval(timer))
}

function progressive(func: (ctx: AnyContext) => unknown, options: AppOptions = {}) {
  const contexts: AnyContext[] = []
  const app = createApp({ onError: vi.fn(), sse: { heartbeatMs: 0 }, ...options })
  const wired = defineFunction({
    output: z.object({ state: z.string() }),
    func: (ctx: AnyContext) => {
      contexts.push(ctx)
      return func(ctx) as { state: string }
    },
  })
  wireHTTP(app, { method: 'get', route: '/job', func: wired, sse: true })
  return { handle: createHandler(app), contexts, app }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('a call answered without a stream stops what it started', () => {
  it.each([
    ['throws before its value', () => Promise.reject(new WireError('FAILED', 'no'))],
    [
      'throws synchronously',
      () => {
        throw new WireError('FAILED', 'no')
      },
    ],
    ['returns an invalid value', () => ({ state: 42 })],
  ])('a progressive function that %s: signal aborts, the channel refuses sends', async (_, answer) => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const ticks = { count: 0 }
    const { handle, contexts, app } = progressive(
      (ctx) => {
        ticking(ctx, ticks)
        return answer()
      },
      { limits: { maxStreams: 1 } },
    )
    const response = await handle(sseRequest('/job'))
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    const ctx = contexts[0] as AnyContext
    expect(ctx.signal.aborted).toBe(true)
    expect(ctx.channel?.closed).toBe(true)
    expect(ctx.channel?.send({ late: true })).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(ticks.count).toBe(0)
    // Its stream slot (the only one) is free again.
    expect(() => app.lifecycle.reserve(undefined, { maxStreams: 1, maxStreamsPerSession: 1 })).not.toThrow()
  })

  it('a client that left before the value: the signal has aborted by the time it returns', async () => {
    let left!: () => void
    const { handle, contexts } = progressive(async () => {
      await new Promise<void>((resolve) => (left = resolve))
      return { state: 'initial' }
    })
    const request = sseRequest('/job')
    const answered = handle(request)
    await vi.waitFor(() => expect(contexts).toHaveLength(1))
    request.client.abort()
    expect(contexts[0]?.signal.aborted).toBe(true)
    left()
    const response = await answered
    // The runtime finds the client gone and returns the stream unread, as every adapter does.
    const body = response.body as AsyncIterable<string>
    await body[Symbol.asyncIterator]().return?.()
    expect(contexts[0]?.channel?.send({ late: true })).toBe(false)
  })

  // The route contract refuses a plain function's stream (write it as `async function*`); the
  // answer is an error either way, and what the function already made must still be returned.
  it('a stream refused (a plain function handing back a stream) aborts the signal and returns the source', async () => {
    const returned = vi.fn()
    const contexts: AnyContext[] = []
    const app = createApp({ onError: vi.fn(), limits: { maxStreams: 0 } })
    // Not a generator function: one handing back a subscription it already made.
    const feed = defineFunction({
      func: (ctx: AnyContext) => {
        contexts.push(ctx)
        const subscription = (async function* () {
          yield* []
        })()
        const end = subscription.return.bind(subscription)
        subscription.return = (value) => {
          returned()
          return end(value)
        }
        return subscription
      },
    })
    wireHTTP(app, { method: 'get', route: '/feed', func: feed })
    const response = await createHandler(app)(sseRequest('/feed'))
    expect(response.status).toBe(500)
    expect(contexts[0]?.signal.aborted).toBe(true)
    expect(returned).toHaveBeenCalledOnce()
  })
})
