import { afterEach, describe, expect, it, vi } from 'vitest'
import { WireError } from '../errors/wire-error'
import type { Validator } from '../schema/validate'
import { ChannelQueue } from './channel'
import { EventStream } from './event-stream'
import type { AbortWatch, EventStreamOptions } from './event-stream-options'
import { withEvent } from './with-event'

interface Harness {
  /** The client-gone signal the stream listens to. */
  client: AbortController
  /** What `options.abort` aborts: the function's `ctx.signal`. */
  ctx: AbortController
  abort: ReturnType<typeof vi.fn<(reason: unknown) => void>>
  onError: ReturnType<typeof vi.fn<(error: unknown) => void>>
  options: EventStreamOptions
}

// What the stream hands to `onError` with each error.
const request = { method: 'GET', path: '/feed', headers: {}, params: {} }

// The client-gone signal as the stream watches it (a `CallSignal` in the handler).
function watchOf(signal: AbortSignal): AbortWatch {
  let listening: (() => void) | undefined
  return {
    watch(listener) {
      if (signal.aborted) return listener(signal.reason)
      listening = () => listener(signal.reason)
      signal.addEventListener('abort', listening, { once: true })
    },
    unwatch() {
      if (listening !== undefined) signal.removeEventListener('abort', listening)
    },
  }
}

function harness(overrides: Partial<EventStreamOptions> = {}): Harness {
  const client = new AbortController()
  const ctx = new AbortController()
  const abort = vi.fn((reason: unknown) => ctx.abort(reason))
  const onError = vi.fn<(error: unknown) => void>()
  const options: EventStreamOptions = {
    heartbeatMs: 0,
    retryMs: 1500,
    maxDurationMs: undefined,
    aborts: watchOf(client.signal),
    abort,
    validateEvent: undefined,
    validateOutput: undefined,
    onError,
    request,
    ...overrides,
  }
  return { client, ctx, abort, onError, options }
}

// The stream batches events that arrive in one turn into one chunk, so tests compare frames
// (each ends with a blank line), not chunk boundaries.
async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  let text = ''
  for await (const chunk of stream) text += chunk
  return toFrames(text)
}

async function collectRest(stream: AsyncIterator<string>): Promise<string> {
  let text = ''
  for (let next = await stream.next(); next.done !== true; next = await stream.next()) text += next.value
  return text
}

function toFrames(text: string): string[] {
  return text.match(/[\s\S]*?\n\n/g) ?? []
}

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

const OPEN = ': sluice stream open\nretry: 1500\n\n'

// Timers and Date are faked; setImmediate stays real, since the stream writes a batch after
// the current turn and a faked one would only run when a test advances the clock.
function useFakeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
}

afterEach(() => {
  vi.useRealTimers()
})

describe('EventStream', () => {
  it('ends without done or error when the source throws SLOW_CONSUMER, so the client resumes', async () => {
    async function* source() {
      yield 1
      throw new WireError('SLOW_CONSUMER', 'The subscriber fell behind')
    }
    const { options, ctx } = harness()
    const frames = await collect(new EventStream(source(), options))
    expect(frames.slice(1)).toEqual(['data: 1\n\n'])
    expect(ctx.signal.reason).toMatchObject({ code: 'SLOW_CONSUMER' })
  })

  it('ends with EVENT_TOO_LARGE when one event is over maxEventBytes, and reports it', async () => {
    async function* source() {
      yield 'small'
      yield 'é'.repeat(40) // 80 bytes of UTF-8 in 40 characters: measured in bytes
      yield 'never sent'
    }
    const { options, onError } = harness({ maxEventBytes: 64 })
    const frames = await collect(new EventStream(source(), options))
    expect(frames.slice(1)).toEqual([
      'data: "small"\n\n',
      'event: error\ndata: {"code":"EVENT_TOO_LARGE","message":"An event was larger than 64 bytes"}\n\n',
    ])
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('sends the opening chunk first, then one chunk per value, then done with the return value', async () => {
    async function* source() {
      yield 1
      yield { a: 2 }
      yield 'x\ny'
      return { total: 3 }
    }
    const { options, abort } = harness()
    const chunks = await collect(new EventStream(source(), options))
    expect(chunks).toEqual([
      OPEN,
      'data: 1\n\n',
      'data: {"a":2}\n\n',
      'data: "x\\ny"\n\n',
      'event: done\ndata: {"total":3}\n\n',
    ])
    expect(abort).toHaveBeenCalledTimes(1)
  })

  it('puts the retry setting and an initial chunk in the opening chunk', async () => {
    async function* source() {
      yield 1
    }
    const { options } = harness({ retryMs: 0, initial: 'data: {"state":"initial"}\n\n' })
    const stream = new EventStream(source(), options)
    const first = await stream.next()
    expect(first).toEqual({
      done: false,
      value: ': sluice stream open\nretry: 0\n\ndata: {"state":"initial"}\n\n',
    })
    await stream.return()
  })

  it('sends done with null when the generator returns nothing', async () => {
    async function* source() {
      yield 1
    }
    const chunks = await collect(new EventStream(source(), harness().options))
    expect(chunks.at(-1)).toBe('event: done\ndata: null\n\n')
  })

  it('sends done for an empty generator', async () => {
    async function* source() {
      return 'only'
    }
    expect(await collect(new EventStream(source(), harness().options))).toEqual([
      OPEN,
      'event: done\ndata: "only"\n\n',
    ])
  })

  it('stays done after the last chunk', async () => {
    async function* source() {
      yield 1
    }
    const stream = new EventStream(source(), harness().options)
    await collect(stream)
    expect(await stream.next()).toEqual({ done: true, value: undefined })
  })

  it('encodes withEvent fields', async () => {
    async function* source() {
      yield withEvent({ id: '1', event: 'progress', retry: 10 }, { done: 1 })
      yield withEvent({ id: '2' }, { done: 2 })
    }
    const chunks = await collect(new EventStream(source(), harness().options))
    expect(chunks.slice(1, 3)).toEqual([
      'event: progress\nid: 1\nretry: 10\ndata: {"done":1}\n\n',
      'id: 2\ndata: {"done":2}\n\n',
    ])
  })

  it('sends a WireError as an error event with its code and message, and runs finally', async () => {
    let finalized = false
    async function* source() {
      try {
        yield 1
        throw new WireError('FAILED', 'The job failed', { details: { step: 2 } })
      } finally {
        finalized = true
      }
    }
    const { options, onError, abort } = harness()
    const chunks = await collect(new EventStream(source(), options))
    expect(chunks).toEqual([
      OPEN,
      'data: 1\n\n',
      'event: error\ndata: {"code":"FAILED","message":"The job failed","details":{"step":2}}\n\n',
    ])
    expect(chunks.join('')).not.toContain('event: done')
    expect(finalized).toBe(true)
    expect(onError).not.toHaveBeenCalled()
    expect(abort).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['an Error', new Error('ECONNREFUSED /var/secret/db.sock password=hunter2')],
    ['a string', 'ECONNREFUSED /var/secret/db.sock password=hunter2'],
    ['an error-like object', { code: 'NOPE', message: 'ECONNREFUSED /var/secret/db.sock password=hunter2' }],
  ])('sends %s as INTERNAL with a generic message and reports it', async (_name, thrown) => {
    async function* source() {
      yield 1
      // Functions can throw anything; non-Error values must be handled as safely as Errors.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw thrown
    }
    const { options, onError } = harness()
    const chunks = await collect(new EventStream(source(), options))
    expect(chunks.at(-1)).toBe(
      'event: error\ndata: {"code":"INTERNAL","message":"Internal server error"}\n\n',
    )
    const wire = chunks.join('')
    expect(wire).not.toContain('ECONNREFUSED')
    expect(wire).not.toContain('secret')
    expect(wire).not.toContain('NOPE')
    expect(onError).toHaveBeenCalledWith(thrown, request)
  })

  it('sends an error event when the source throws before its first value', async () => {
    async function* source() {
      throw new WireError('NOT_FOUND', 'No such job')
    }
    expect(await collect(new EventStream(source(), harness().options))).toEqual([
      OPEN,
      'event: error\ndata: {"code":"NOT_FOUND","message":"No such job"}\n\n',
    ])
  })

  it('sends an INTERNAL error event for a value that cannot be encoded', async () => {
    let finalized = false
    async function* source() {
      try {
        yield { big: 1n }
        yield 2
      } finally {
        finalized = true
      }
    }
    const { options, onError } = harness()
    const chunks = await collect(new EventStream(source(), options))
    expect(chunks).toEqual([
      OPEN,
      'event: error\ndata: {"code":"INTERNAL","message":"Internal server error"}\n\n',
    ])
    expect(onError).toHaveBeenCalledWith(expect.any(TypeError), request)
    expect(finalized).toBe(true)
  })

  it.each([
    [
      'a sync validator',
      (value: unknown) => ({
        ok: false as const,
        issues: [{ path: ['n'], message: `bad ${String(value)}` }],
      }),
    ],
    [
      'an async validator',
      (value: unknown) =>
        Promise.resolve({ ok: false as const, issues: [{ path: ['n'], message: `bad ${String(value)}` }] }),
    ],
  ])('ends with INVALID_OUTPUT when an event fails %s, and runs finally', async (_name, reject) => {
    let finalized = false
    let steps = 0
    async function* source() {
      try {
        for (;;) {
          steps++
          yield steps
        }
      } finally {
        finalized = true
      }
    }
    const validateEvent: Validator = (value) => (value === 1 ? { ok: true, value: 'one' } : reject(value))
    const { options, onError } = harness({ validateEvent })
    const chunks = await collect(new EventStream(source(), options))
    expect(chunks).toEqual([
      OPEN,
      'data: "one"\n\n',
      'event: error\ndata: {"code":"INVALID_OUTPUT","message":"The server produced a value that does not match its schema"}\n\n',
    ])
    expect(chunks.join('')).not.toContain('bad 2')
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'INVALID_OUTPUT' }), request)
    expect(finalized).toBe(true)
    expect(steps).toBe(2)
  })

  it('ends with INVALID_OUTPUT instead of done when the return value fails the output validator', async () => {
    async function* source() {
      yield 1
      return { wrong: true }
    }
    const validateOutput: Validator = () => ({ ok: false, issues: [{ path: [], message: 'no' }] })
    const chunks = await collect(new EventStream(source(), harness({ validateOutput }).options))
    expect(chunks.at(-1)).toContain('event: error\ndata: {"code":"INVALID_OUTPUT"')
    expect(chunks.join('')).not.toContain('event: done')
  })

  it('sends the validated (transformed) values', async () => {
    async function* source() {
      yield 1
      return 2
    }
    const double: Validator = (value) => ({ ok: true, value: (value as number) * 10 })
    const chunks = await collect(
      new EventStream(source(), harness({ validateEvent: double, validateOutput: double }).options),
    )
    expect(chunks).toEqual([OPEN, 'data: 10\n\n', 'event: done\ndata: 20\n\n'])
  })

  it('pulls the source only while a chunk is asked for, and at most one batch ahead', async () => {
    let steps = 0
    async function* source() {
      for (;;) {
        steps++
        yield 'x'.repeat(1000)
      }
    }
    const pause = () => new Promise((resolve) => setTimeout(resolve, 10))
    const stream = new EventStream(source(), harness().options)
    await stream.next() // the opening chunk
    await pause()
    expect(steps).toBe(0)
    for (let round = 0; round < 3; round++) {
      const before = steps
      const batch = (await stream.next()).value as string
      // A generator that yields in a tight loop fills one batch (64 KiB and one event at most).
      expect(batch.length).toBeLessThanOrEqual(64 * 1024 + 1010)
      const frames = toFrames(batch).length
      expect(frames).toBeGreaterThan(1)
      // Nobody asks now (a full socket): at most the one pull in flight, then nothing.
      await pause()
      const idle = steps
      expect(idle - before).toBeLessThanOrEqual(frames + 1)
      await pause()
      expect(steps).toBe(idle)
    }
    await stream.return()
  })

  it('uses the first step taken before the open (begin) instead of pulling again', async () => {
    let steps = 0
    async function* source() {
      for (;;) {
        steps++
        yield steps
      }
    }
    const stream = new EventStream(source(), harness().options)
    expect(await stream.begin(1000)).toBeUndefined()
    expect(steps).toBe(1)
    expect((await stream.next()).value).toBe(OPEN)
    const frames = toFrames((await stream.next()).value as string)
    // Step 1 is the one already under way: it is not pulled twice, nor skipped.
    expect(frames.slice(0, 2)).toEqual(['data: 1\n\n', 'data: 2\n\n'])
    expect(steps).toBeLessThanOrEqual(frames.length + 1)
    await stream.return()
  })

  it('return() ends the stream, runs the generator finally and aborts the function signal', async () => {
    const finalized = deferred()
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i
      } finally {
        finalized.resolve()
      }
    }
    const { options, ctx } = harness()
    const stream = new EventStream(source(), options)
    await stream.next()
    await stream.next()
    expect(await stream.return()).toEqual({ done: true, value: undefined })
    await finalized.promise
    expect(ctx.signal.aborted).toBe(true)
    expect(ctx.signal.reason).toMatchObject({ code: 'CLIENT_CLOSED' })
    expect(await stream.next()).toEqual({ done: true, value: undefined })
  })

  it('ends when the client signal aborts, resolving a waiting next() and running finally', async () => {
    const finalized = deferred()
    let afterAbort = false
    const { options, client, ctx } = harness()
    async function* source() {
      try {
        yield 1
        await aborted(ctx.signal) // a function that honours ctx.signal
        afterAbort = true
        yield 2
      } finally {
        finalized.resolve()
      }
    }
    const stream = new EventStream(source(), options)
    await stream.next()
    expect((await stream.next()).value).toBe('data: 1\n\n')
    const waiting = stream.next()
    client.abort(new Error('socket closed'))
    expect(await waiting).toEqual({ done: true, value: undefined })
    await finalized.promise
    expect(afterAbort).toBe(true)
    expect(ctx.signal.aborted).toBe(true)
    expect(await stream.next()).toEqual({ done: true, value: undefined })
  })

  it('ends at once when the client signal is already aborted when it opens', async () => {
    const { options, client, abort } = harness()
    client.abort()
    async function* source() {
      yield 1
    }
    const chunks = await collect(new EventStream(source(), options))
    expect(chunks).toEqual([OPEN])
    expect(abort).toHaveBeenCalledTimes(1)
  })

  it('ends at maxDurationMs without done and runs the generator finally', async () => {
    const finalized = deferred()
    const { options, ctx } = harness({ maxDurationMs: 20 })
    async function* source() {
      try {
        yield 1
        await aborted(ctx.signal)
        yield 2
      } finally {
        finalized.resolve()
      }
    }
    const chunks = await collect(new EventStream(source(), options))
    await finalized.promise
    expect(chunks).toEqual([OPEN, 'data: 1\n\n'])
    expect(ctx.signal.reason).toMatchObject({ code: 'MAX_DURATION' })
  })

  it('ends at maxDurationMs while the consumer is not reading', async () => {
    const finalized = deferred()
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i
      } finally {
        finalized.resolve()
      }
    }
    const { options, ctx } = harness({ maxDurationMs: 10 })
    const stream = new EventStream(source(), options)
    await stream.next()
    await stream.next()
    await finalized.promise // the generator is parked at a yield; return() finishes it
    expect(ctx.signal.reason).toMatchObject({ code: 'MAX_DURATION' })
    expect(await stream.next()).toEqual({ done: true, value: undefined })
  })

  it('works with a ChannelQueue source and sends done with the close value', async () => {
    const channel = new ChannelQueue<number, string>(10, () => undefined)
    const stream = new EventStream(channel, harness({ initial: 'data: 0\n\n' }).options)
    channel.send(1)
    channel.send(withEvent({ id: '2' }, 2))
    channel.close('bye')
    expect(await collect(stream)).toEqual([
      OPEN,
      'data: 0\n\n',
      'data: 1\n\n',
      'id: 2\ndata: 2\n\n',
      'event: done\ndata: "bye"\n\n',
    ])
  })

  it('encodes a value sent on a channel before send() returns (no promise per value)', async () => {
    const channel = new ChannelQueue<number, string>(10, () => undefined)
    const event = vi.fn()
    const stream = new EventStream(channel, harness({ observer: { event, end: () => undefined } }).options)
    await stream.next()
    const waiting = stream.next()
    channel.send(1)
    expect(event).toHaveBeenCalledTimes(1)
    channel.send(2)
    expect(event).toHaveBeenCalledTimes(2)
    expect(await waiting).toEqual({ done: false, value: 'data: 1\n\ndata: 2\n\n' })
    channel.close()
    expect(toFrames(await collectRest(stream))).toEqual(['event: done\ndata: null\n\n'])
  })

  it('reads a long channel queue in order, in a loop rather than by recursion', async () => {
    const count = 50_000
    const channel = new ChannelQueue<number, string>(count, () => undefined)
    for (let i = 0; i < count; i++) channel.send(i)
    channel.close('end')
    const frames = await collect(new EventStream(channel, harness().options))
    expect(frames).toHaveLength(count + 2)
    expect(frames[1]).toBe('data: 0\n\n')
    expect(frames[count]).toBe(`data: ${count - 1}\n\n`)
    expect(frames[count + 1]).toBe('event: done\ndata: "end"\n\n')
  })

  it('closes the channel when the client leaves', async () => {
    const channel = new ChannelQueue<number, string>(10, () => undefined)
    const { options, client } = harness()
    const stream = new EventStream(channel, options)
    await stream.next()
    const waiting = stream.next()
    client.abort()
    expect(await waiting).toEqual({ done: true, value: undefined })
    expect(channel.closed).toBe(true)
    expect(channel.send(1)).toBe(false)
  })
})

describe('EventStream heartbeat', () => {
  it('sends : ping when nothing was written for heartbeatMs', async () => {
    useFakeTimers()
    const gate = deferred<number>()
    async function* source() {
      yield await gate.promise
    }
    const stream = new EventStream(source(), harness({ heartbeatMs: 1000 }).options)
    await stream.next()
    const first = stream.next()
    await vi.advanceTimersByTimeAsync(1000)
    expect(await first).toEqual({ done: false, value: ': ping\n\n' })
    const second = stream.next()
    await vi.advanceTimersByTimeAsync(1000)
    expect(await second).toEqual({ done: false, value: ': ping\n\n' })
    const third = stream.next()
    gate.resolve(7)
    // The generator returns in the same turn, so `done` shares the batch.
    expect(await third).toEqual({ done: false, value: 'data: 7\n\nevent: done\ndata: null\n\n' })
    expect((await stream.next()).done).toBe(true)
  })

  it('sends no ping while values keep flowing', async () => {
    useFakeTimers()
    async function* source() {
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 600))
        yield i
      }
    }
    const stream = new EventStream(source(), harness({ heartbeatMs: 1000 }).options)
    const chunks: string[] = []
    const done = (async () => {
      for await (const chunk of stream) chunks.push(chunk)
    })()
    await vi.advanceTimersByTimeAsync(7000)
    await done
    expect(toFrames(chunks.join(''))).toHaveLength(12)
    expect(chunks.join('')).not.toContain(': ping')
  })

  it('waits a full heartbeatMs after the last write before a ping', async () => {
    useFakeTimers()
    const gate = deferred<number>()
    async function* source() {
      await new Promise((resolve) => setTimeout(resolve, 600))
      yield 1
      yield await gate.promise
    }
    const stream = new EventStream(source(), harness({ heartbeatMs: 1000 }).options)
    await stream.next()
    const first = stream.next()
    await vi.advanceTimersByTimeAsync(600)
    expect(await first).toEqual({ done: false, value: 'data: 1\n\n' })
    let ping: IteratorResult<string> | undefined
    void stream.next().then((result) => (ping = result))
    await vi.advanceTimersByTimeAsync(999) // 1599 ms: 999 ms since the last write
    expect(ping).toBeUndefined()
    // Heartbeats come from a shared ticker (a quarter of heartbeatMs): the ping goes out on the
    // first tick after a full heartbeatMs of silence.
    await vi.advanceTimersByTimeAsync(250)
    expect(ping).toEqual({ done: false, value: ': ping\n\n' })
    await stream.return()
  })

  it('sends no ping when heartbeatMs is 0', async () => {
    useFakeTimers()
    const gate = deferred<number>()
    async function* source() {
      yield await gate.promise
    }
    const stream = new EventStream(source(), harness({ heartbeatMs: 0 }).options)
    await stream.next()
    const next = stream.next()
    await vi.advanceTimersByTimeAsync(60_000)
    gate.resolve(1)
    expect(await next).toEqual({ done: false, value: 'data: 1\n\nevent: done\ndata: null\n\n' })
    await stream.return()
  })

  it('queues no ping while the consumer is not reading, and does not spin its timer', async () => {
    useFakeTimers()
    const gate = deferred<number>()
    async function* source() {
      yield await gate.promise
    }
    const stream = new EventStream(source(), harness({ heartbeatMs: 1000 }).options)
    await stream.next()
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    await vi.advanceTimersByTimeAsync(10_000) // nobody calls next(): a full socket
    // About one re-arm per interval, not one per millisecond.
    expect(setTimeoutSpy.mock.calls.length).toBeLessThanOrEqual(20)
    const next = stream.next()
    gate.resolve(1)
    expect(await next).toEqual({ done: false, value: 'data: 1\n\nevent: done\ndata: null\n\n' })
    await stream.return()
  })
})

describe('EventStream slow consumer', () => {
  it('after slowConsumerMs without a pull, returns the source and drops the connection', async () => {
    useFakeTimers()
    let finished = false
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i
      } finally {
        finished = true
      }
    }
    const drop = vi.fn()
    const { options, ctx } = harness({ slowConsumerMs: 1000, connection: { drop } })
    const stream = new EventStream(source(), options)
    await stream.next()
    await stream.next()
    await vi.advanceTimersByTimeAsync(999) // nobody calls next(): a full socket
    expect(drop).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1000)
    expect(drop).toHaveBeenCalledOnce()
    expect(finished).toBe(true)
    expect(ctx.signal.reason).toMatchObject({ code: 'SLOW_CONSUMER' })
  })

  it('never drops a consumer that keeps pulling', async () => {
    useFakeTimers()
    async function* source() {
      for (let i = 0; i < 30; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        yield i
      }
    }
    const drop = vi.fn()
    const stream = new EventStream(source(), harness({ slowConsumerMs: 1000, connection: { drop } }).options)
    const chunks: string[] = []
    const done = (async () => {
      for await (const chunk of stream) chunks.push(chunk)
    })()
    await vi.advanceTimersByTimeAsync(4000)
    await done
    expect(chunks.join('')).toContain('event: done')
    expect(drop).not.toHaveBeenCalled()
    // Once the adapter took the end, the stream left the shared ticker: no timer is left.
    expect(vi.getTimerCount()).toBe(0)
  })

  it('drops a consumer that never takes the end of a stream that ended while it was not pulling', async () => {
    useFakeTimers()
    async function* source() {
      for (let i = 0; ; i++) yield i
    }
    const drop = vi.fn()
    const options = harness({ slowConsumerMs: 1000, maxDurationMs: 400, connection: { drop } }).options
    const stream = new EventStream(source(), options)
    await stream.next()
    await stream.next() // then nothing: a full socket
    await vi.advanceTimersByTimeAsync(500) // max duration ended the stream meanwhile
    expect(drop).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1000)
    expect(drop).toHaveBeenCalledOnce()
    expect(vi.getTimerCount()).toBe(0)
  })
})
