import { SlowConsumerError, type HubEvent, type Subscription } from './event-hub'
import { takeNext, type TakeSource } from '../stream/take-source'

/**
 * Where a subscription's first events come from before it follows live: each call gives the
 * next page of replayed events in order (or a reset event), `undefined` once caught up. A
 * throw ends the subscription with that error (a `ReplayGapError`, a failed read).
 */
export type ReplaySource<T> = () => Promise<readonly HubEvent<T>[] | undefined>

/** Settings of one `HubSubscription`. */
export interface HubSubscriptionOptions<T> {
  signal: AbortSignal
  /** Live events that may wait unread; past it the subscription ends with `SlowConsumerError`. */
  maxQueued: number
  replay?: ReplaySource<T>
  /** Called once when an open subscription ends, whatever ended it: unregister it. */
  release: () => void
}

interface Waiter<T> {
  resolve: (result: IteratorResult<HubEvent<T>, void>) => void
  reject: (error: unknown) => void
}

const DONE: IteratorResult<never, void> = { done: true, value: undefined }

/**
 * The iterator behind every hub's `subscribe`, for hub implementations: replay pages are pulled
 * on demand, then live events (`push`) are handed to a waiting reader or queued up to
 * `maxQueued`. Past that it ends with `SlowConsumerError`, the same all-or-end policy as a
 * stream's channel: nothing is ever skipped in a subscription that goes on. `return()` and an
 * abort of `signal` end it at once, even while a `next()` is waiting.
 */
export class HubSubscription<T> implements Subscription<T>, TakeSource {
  private readonly live: HubEvent<T>[] = []
  private replayed: HubEvent<T>[] = []
  private readonly waiters: Waiter<T>[] = []
  private replay: ReplaySource<T> | undefined
  private fetching = false
  private state: 'open' | 'failed' | 'ended' = 'open'
  private failure: unknown
  private readonly onAbort = (): void => this.end()

  constructor(private readonly options: HubSubscriptionOptions<T>) {
    // Born ended under an aborted signal: `open` is false, so the hub never registers it.
    if (options.signal.aborted) this.state = 'ended'
    else {
      this.replay = options.replay
      options.signal.addEventListener('abort', this.onAbort, { once: true })
    }
  }

  /** False once ended: pushing to it is pointless. */
  get open(): boolean {
    return this.state === 'open'
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  /** Hands a live event (newer than everything replayed) to the reader, or queues it. */
  push(event: HubEvent<T>): void {
    if (this.state !== 'open') return
    const waiter = this.replay === undefined && this.replayed.length === 0 ? this.waiters.shift() : undefined
    if (waiter !== undefined) return waiter.resolve({ done: false, value: event })
    if (this.live.length >= this.options.maxQueued)
      return this.fail(new SlowConsumerError(this.options.maxQueued))
    this.live.push(event)
  }

  /** Ends the subscription with `error`: the reader gets it at its next step, then nothing more. */
  fail(error: unknown): void {
    if (this.state !== 'open') return
    this.close()
    const waiter = this.waiters.shift()
    if (waiter === undefined) {
      this.state = 'failed'
      this.failure = error
    } else {
      this.state = 'ended'
      waiter.reject(error)
    }
    this.settleWaiters()
  }

  /** The stream engine's read (`TakeSource`): a ready event now, or a callback with the next one. */
  [takeNext](
    onResult: (result: IteratorResult<HubEvent<T>, void>) => void,
    onError: (error: unknown) => void,
  ): IteratorResult<HubEvent<T>, void> | undefined {
    if (this.state === 'failed') {
      this.state = 'ended'
      throw this.failure
    }
    if (this.state === 'ended') return DONE
    const event = this.take()
    if (event !== undefined) return { done: false, value: event }
    this.waiters.push({ resolve: onResult, reject: onError })
    this.fetch()
    return undefined
  }

  // The same read as the engine's, as a promise (a throw in the executor rejects it).
  next(): Promise<IteratorResult<HubEvent<T>, void>> {
    return new Promise((resolve, reject) => {
      const ready = this[takeNext](resolve, reject)
      if (ready !== undefined) resolve(ready)
    })
  }

  return(): Promise<IteratorResult<HubEvent<T>, void>> {
    this.end()
    return Promise.resolve(DONE)
  }

  async throw(error: unknown): Promise<IteratorResult<HubEvent<T>, void>> {
    this.end()
    throw error
  }

  // Replayed events come before any live one: live events wait in the queue until replay is done.
  private take(): HubEvent<T> | undefined {
    if (this.replayed.length > 0) return this.replayed.shift()
    if (this.replay !== undefined) return undefined
    return this.live.shift()
  }

  private fetch(): void {
    const replay = this.replay
    if (replay === undefined || this.fetching) return
    this.fetching = true
    replay().then(
      (page) => {
        this.fetching = false
        if (this.state !== 'open') return
        if (page === undefined) this.replay = undefined
        else this.replayed.push(...page)
        this.serve()
      },
      (error: unknown) => {
        this.fetching = false
        this.fail(error)
      },
    )
  }

  private serve(): void {
    while (this.waiters.length > 0) {
      const event = this.take()
      if (event === undefined) break
      this.waiters.shift()?.resolve({ done: false, value: event })
    }
    if (this.waiters.length > 0) this.fetch()
  }

  private end(): void {
    if (this.state === 'ended') return
    if (this.state === 'open') this.close()
    this.state = 'ended'
    this.settleWaiters()
  }

  // Frees what it holds and unregisters, once.
  private close(): void {
    this.live.length = 0
    this.replayed = []
    this.replay = undefined
    this.options.signal.removeEventListener('abort', this.onAbort)
    this.options.release()
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve(DONE)
  }
}
