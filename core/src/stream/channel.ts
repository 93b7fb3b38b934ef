import type { EventEnvelope } from './with-event'
import { takeNext, type TakeSource } from './take-source'

/**
 * The push side of a progressive (`sse: true`) route, given only to SSE clients. `S` is what
 * `send` takes: a function that declares `events` sends `withEvent({ event }, data)` of its kinds.
 */
export interface Channel<E, O, S = E | EventEnvelope<E>> {
  /** Queues one event; `false` once the channel is closed (the client left, or it overflowed). */
  send(data: S): boolean
  /** Ends the stream with `event: done` carrying `value` (or `null`). */
  close(value?: O): void
  /** True once closed by `close`, by the client leaving or by the queue overflowing. */
  readonly closed: boolean
}

/**
 * The queue behind `ctx.channel`: `send` pushes, the stream engine pulls. A waiting engine
 * gets a value at once, so values queue only while the adapter waits for the socket to
 * drain. Past `maxQueued` the client counts as a slow consumer: `onOverflow` ends the
 * stream without `done` (the client reconnects and resumes), `send` returns false, and
 * nothing is silently dropped from a stream that goes on.
 */
export class ChannelQueue<E, O, S = E | EventEnvelope<E>>
  implements Channel<E, O, S>, AsyncIterator<unknown, unknown>, TakeSource
{
  private readonly queue: unknown[] = []
  private waiter: ((result: IteratorResult<unknown, unknown>) => void) | undefined
  private closedWith: { value: unknown } | undefined
  private ended = false

  constructor(
    private readonly maxQueued: number,
    private readonly onOverflow: () => void,
  ) {}

  get closed(): boolean {
    return this.closedWith !== undefined || this.ended
  }

  send(data: S): boolean {
    if (this.closed) return false
    if (this.waiter !== undefined) {
      const waiter = this.waiter
      this.waiter = undefined
      waiter({ done: false, value: data })
      return true
    }
    if (this.queue.length >= this.maxQueued) {
      this.end()
      this.onOverflow()
      return false
    }
    this.queue.push(data)
    return true
  }

  close(value?: O): void {
    if (this.closed) return
    this.closedWith = { value }
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.({ done: true, value })
  }

  /** The stream engine's read: a queued result now, or `onResult` called by the next `send` or `close`. */
  [takeNext](
    onResult: (result: IteratorResult<unknown, unknown>) => void,
  ): IteratorResult<unknown, unknown> | undefined {
    if (this.queue.length > 0) return { done: false, value: this.queue.shift() }
    if (this.closedWith !== undefined) return { done: true, value: this.closedWith.value }
    if (this.ended) return { done: true, value: undefined }
    this.waiter = onResult
    return undefined
  }

  next(): Promise<IteratorResult<unknown, unknown>> {
    if (this.queue.length > 0) return Promise.resolve({ done: false, value: this.queue.shift() })
    if (this.closedWith !== undefined) return Promise.resolve({ done: true, value: this.closedWith.value })
    if (this.ended) return Promise.resolve({ done: true, value: undefined })
    return new Promise((resolve) => (this.waiter = resolve))
  }

  /** The stream ended (client left, max duration, overflow): later sends are refused. */
  return(): Promise<IteratorResult<unknown, unknown>> {
    this.end()
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.({ done: true, value: undefined })
    return Promise.resolve({ done: true, value: undefined })
  }

  private end(): void {
    this.ended = true
    this.queue.length = 0
  }
}
