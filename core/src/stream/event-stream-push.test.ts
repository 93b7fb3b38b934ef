import { describe, expect, it, vi } from 'vitest'
import type { ChunkSink } from '../adapter/types'
import { ChannelQueue } from './channel'
import { EventStream } from './event-stream'
import type { EventStreamOptions } from './event-stream-options'

// A stream pushed into a sink (`pushTo`), as the node, uWS and fetch adapters read it.

function options(client: AbortController, overrides: Partial<EventStreamOptions> = {}): EventStreamOptions {
  let listening: (() => void) | undefined
  return {
    heartbeatMs: 0,
    retryMs: 1500,
    maxDurationMs: undefined,
    aborts: {
      watch(listener) {
        if (client.signal.aborted) return listener(client.signal.reason)
        listening = () => listener(client.signal.reason)
        client.signal.addEventListener('abort', listening, { once: true })
      },
      unwatch() {
        if (listening !== undefined) client.signal.removeEventListener('abort', listening)
      },
    },
    abort: () => undefined,
    validateEvent: undefined,
    validateOutput: undefined,
    onError: () => undefined,
    request: { method: 'GET', path: '/feed', headers: {}, params: {} },
    ...overrides,
  }
}

/** A sink that records what it is given; `room` is how many writes it takes before it is full. */
class RecordingSink implements ChunkSink {
  text = ''
  writes = 0
  ends = 0
  room = Infinity
  write(chunk: string): boolean {
    expect(this.ends).toBe(0)
    this.text += chunk
    this.writes++
    return this.writes < this.room
  }
  end(): void {
    this.ends++
  }
}

function until(check: () => boolean): Promise<void> {
  return vi.waitFor(() => expect(check()).toBe(true), { timeout: 2000, interval: 5 })
}

describe('EventStream pushed into a sink', () => {
  it('writes the opening line at once, then the events, `done` and one end', async () => {
    async function* count() {
      yield 1
      yield 2
      return 'ok'
    }
    const sink = new RecordingSink()
    new EventStream(count(), options(new AbortController())).pushTo(sink)
    expect(sink.text).toBe(': sluice stream open\nretry: 1500\n\n')
    await until(() => sink.ends === 1)
    expect(sink.text).toBe(
      ': sluice stream open\nretry: 1500\n\ndata: 1\n\ndata: 2\n\nevent: done\ndata: "ok"\n\n',
    )
  })

  it('stops reading the source while the sink is full, and goes on at resume()', async () => {
    let produced = 0
    async function* many() {
      for (;;) {
        produced++
        yield 'x'.repeat(70 * 1024) // over one batch: written as it comes
      }
    }
    const sink = new RecordingSink()
    sink.room = 2 // the opening line, then one event fill it
    const client = new AbortController()
    const stream = new EventStream(many(), options(client))
    stream.pushTo(sink)
    await until(() => sink.writes === 2)
    await new Promise((resolve) => setTimeout(resolve, 50))
    // Read ahead by one step at most, however long the sink stays full.
    expect(produced).toBeLessThanOrEqual(3)
    expect(sink.writes).toBe(2)
    sink.room = 3
    stream.resume()
    await until(() => sink.writes === 3)
    client.abort()
    await stream.return()
  })

  it('after return() (the client left) writes nothing, never ends the sink, and returns the source', async () => {
    let finished = false
    async function* forever() {
      try {
        for (;;) {
          yield 'tick'
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      } finally {
        finished = true
      }
    }
    const sink = new RecordingSink()
    const stream = new EventStream(forever(), options(new AbortController()))
    stream.pushTo(sink)
    await until(() => sink.text.includes('data: "tick"'))
    await stream.return()
    const writes = sink.writes
    await until(() => finished)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(sink.writes).toBe(writes)
    expect(sink.ends).toBe(0)
  })

  it('a stream whose client left while it opened writes its opening line and ends', () => {
    const client = new AbortController()
    client.abort(new Error('gone'))
    const channel = new ChannelQueue<unknown, unknown>(8, () => undefined)
    const sink = new RecordingSink()
    new EventStream(channel, options(client)).pushTo(sink)
    expect(sink.text).toBe(': sluice stream open\nretry: 1500\n\n')
    expect(sink.ends).toBe(1)
  })

  it('a channel pushes each send without waiting for a read; the end follows close()', async () => {
    const channel = new ChannelQueue<unknown, unknown>(8, () => undefined)
    const sink = new RecordingSink()
    new EventStream(channel, options(new AbortController(), { initial: 'data: {"v":0}\n\n' })).pushTo(sink)
    channel.send({ v: 1 })
    channel.close({ v: 2 })
    await until(() => sink.ends === 1)
    expect(sink.text).toBe(
      ': sluice stream open\nretry: 1500\n\ndata: {"v":0}\n\ndata: {"v":1}\n\nevent: done\ndata: {"v":2}\n\n',
    )
  })

  it('is read once: pushTo after next() is refused', async () => {
    async function* one() {
      yield 1
    }
    const stream = new EventStream(one(), options(new AbortController()))
    await stream.next()
    expect(() => stream.pushTo(new RecordingSink())).toThrow(/read once/)
    await stream.return()
  })
})

describe('EventStream.begin: the first step, before the stream opens', () => {
  it('resolves with what a function threw before its first yield', async () => {
    const boom = new Error('no such job')
    async function* failing() {
      throw boom
    }
    const stream = new EventStream(failing(), options(new AbortController()))
    expect(await stream.begin(1000)).toEqual({ ok: false, error: boom })
  })

  it('gives up on a slow first step after waitMs; the step then arrives as an event', async () => {
    let release = (): void => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    async function* slow() {
      await released
      yield 'late'
    }
    const stream = new EventStream(slow(), options(new AbortController()))
    expect(await stream.begin(20)).toBeUndefined()
    const sink = new RecordingSink()
    stream.pushTo(sink)
    release()
    await until(() => sink.ends === 1)
    expect(sink.text).toContain('data: "late"\n\nevent: done\ndata: null\n\n')
  })
})
