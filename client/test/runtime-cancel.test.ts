import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toReconnectDelay } from '../src/stream-events'
import { createCaller } from '../src'
import { createFakeFetch, openSseResponse, recordedRetry, sseResponse, type Reply } from './fake-fetch'

const OPEN = ': sluice stream open\nretry: 2000\n\n'
const event = (i: number) => `id: ${i}\ndata: {"i":${i}}\n\n`
const done = (value: unknown) => `event: done\ndata: ${JSON.stringify(value)}\n\n`
/** A stream that sends events 1..3 and then stays open until the request is aborted. */
const endless: Reply = (request) => openSseResponse(OPEN + event(1) + event(2) + event(3), request.signal)

function setup(replies: Reply[]) {
  const { fetch, sent } = createFakeFetch(replies)
  const { waits, retry } = recordedRetry()
  const caller = createCaller({ baseUrl: 'http://127.0.0.1:1', fetch, retry })
  const count = caller.stream<{ to: number }, { i: number }, { total: number }>('GET', '/count')
  return { count, sent, waits }
}

describe('cancelling a stream', () => {
  it('break aborts the request and rejects result with CANCELLED', async () => {
    const { count, sent } = setup([endless])
    const call = count({ to: 100 })
    for await (const { i } of call) if (i === 2) break
    expect(sent[0]?.signal?.aborted).toBe(true)
    await expect(call.result).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(sent).toHaveLength(1)
  })

  it('an AbortSignal ends a running loop with CANCELLED, and the request with it', async () => {
    const { count, sent } = setup([endless])
    const controller = new AbortController()
    const call = count({ to: 100 }, { signal: controller.signal })
    const seen: number[] = []
    const error = await (async () => {
      for await (const { i } of call) {
        seen.push(i)
        if (i === 3) setTimeout(() => controller.abort(new Error('user left')), 0)
      }
    })().catch((e: unknown) => e)
    expect(seen).toEqual([1, 2, 3])
    expect(error).toMatchObject({ code: 'CANCELLED', cause: new Error('user left') })
    await expect(call.result).rejects.toBe(error)
    expect(sent[0]?.signal?.aborted).toBe(true)
  })

  it('cancel() during the wait before a reconnect stops the reconnect', async () => {
    const { fetch, sent } = createFakeFetch([sseResponse(OPEN + event(1))])
    const current: { call?: ReturnType<typeof count> } = {}
    const caller = createCaller({
      baseUrl: 'http://127.0.0.1:1',
      fetch,
      retry: {
        wait: (_ms, signal) => {
          current.call?.cancel()
          return Promise.reject(signal.reason as Error)
        },
      },
    })
    const count = caller.stream<{ to: number }, { i: number }, { total: number }>('GET', '/count')
    const call = count({ to: 2 })
    current.call = call
    await expect(call.result).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(sent).toHaveLength(1)
  })

  it('an already aborted signal sends nothing', async () => {
    const { count, sent } = setup([endless])
    const call = count({ to: 1 }, { signal: AbortSignal.abort() })
    await expect(call.result).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(sent).toHaveLength(0)
  })
})

describe('consuming a stream', () => {
  it('result alone runs the stream to its done value', async () => {
    const { count, sent } = setup([sseResponse(OPEN + event(1) + done({ total: 1 }))])
    const call = count({ to: 1 })
    expect(sent).toHaveLength(0) // nothing is sent before the call is consumed
    expect(await call.result).toEqual({ total: 1 })
    expect(sent).toHaveLength(1)
  })

  it('result read before a for await in the same tick does not steal the events', async () => {
    const { count } = setup([sseResponse(OPEN + event(1) + event(2) + done({ total: 2 }))])
    const call = count({ to: 2 })
    const result = call.result
    const seen: number[] = []
    for await (const { i } of call) seen.push(i)
    expect(seen).toEqual([1, 2])
    expect(await result).toEqual({ total: 2 })
  })

  it('onEvent gets every event and the call resolves to the done value', async () => {
    const { count } = setup([sseResponse(OPEN + event(1) + event(2) + done({ total: 2 }))])
    const seen: number[] = []
    const total = await count({ to: 2 }, { onEvent: ({ i }) => void seen.push(i) })
    expect(total).toEqual({ total: 2 })
    expect(seen).toEqual([1, 2])
  })

  it('an onEvent that throws ends the stream and rejects with its error', async () => {
    const { count, sent } = setup([endless])
    const boom = new Error('boom')
    const outcome = count(
      { to: 100 },
      {
        onEvent: ({ i }) => {
          if (i === 2) throw boom
        },
      },
    )
    await expect(outcome).rejects.toBe(boom)
    expect(sent[0]?.signal?.aborted).toBe(true)
  })

  it('can be iterated only once', async () => {
    const { count } = setup([sseResponse(OPEN + done({ total: 0 }))])
    const call = count({ to: 0 })
    call[Symbol.asyncIterator]()
    expect(() => call[Symbol.asyncIterator]()).toThrow(TypeError)
    call.cancel()
    await expect(call.result).rejects.toMatchObject({ code: 'CANCELLED' })
  })
})

describe('toReconnectDelay', () => {
  const settings = fc.record({
    initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
    maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
    serverRetry: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    failures: fc.integer({ min: 0, max: 20 }),
    random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  })

  it('waits the base delay (server retry first) doubled per failure after the first, x0.5 to x1.5, capped', () => {
    fc.assert(
      fc.property(settings, ({ initialDelayMs, maxDelayMs, serverRetry, failures, random }) => {
        const delay = toReconnectDelay(
          { initialDelayMs, maxDelayMs, random: () => random },
          serverRetry,
          failures,
        )
        const nominal = (serverRetry ?? initialDelayMs) * 2 ** Math.max(0, failures - 1)
        expect(delay).toBeLessThanOrEqual(maxDelayMs)
        expect(delay).toBeGreaterThanOrEqual(Math.min(maxDelayMs, Math.floor(nominal * 0.5)))
        expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.5))
      }),
    )
  })

  it('spreads clients: the jitter moves the delay across its whole range', () => {
    const delay = (random: number) =>
      toReconnectDelay({ initialDelayMs: 1000, maxDelayMs: 30_000, random: () => random }, 2000, 0)
    expect([delay(0), delay(0.5), delay(0.999)]).toEqual([1000, 2000, 2998])
  })
})
