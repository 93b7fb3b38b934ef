/** A message the fan-out publisher sends: `t` is the publish time (monotonic µs), `s` a sequence number. */
export interface Message {
  t: number
  s: number
}

/**
 * Microseconds on one clock for every process of this machine, Node or Bun: the wall clock at
 * the process's start plus its monotonic time since (`process.hrtime` counts from boot on Node
 * but from the process's start on Bun, so it cannot be compared across processes there).
 */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000)
}

/**
 * The pub/sub a sluice user writes for fan-out: each subscriber is an async iterator with its
 * own queue (like `events.on`), ended by the stream's signal. The function returns it as is.
 */
export class Hub<T> {
  private readonly subscribers = new Set<Subscription<T>>()

  get size(): number {
    return this.subscribers.size
  }

  publish(value: T): void {
    for (const subscriber of this.subscribers) subscriber.push(value)
  }

  subscribe(signal: AbortSignal): AsyncIterableIterator<T> {
    const subscription = new Subscription<T>(() => this.subscribers.delete(subscription))
    this.subscribers.add(subscription)
    signal.addEventListener('abort', () => void subscription.return(), { once: true })
    return subscription
  }
}

class Subscription<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = []
  private waiter: ((result: IteratorResult<T>) => void) | undefined
  private ended = false

  constructor(private readonly onEnd: () => void) {}

  [Symbol.asyncIterator](): this {
    return this
  }

  push(value: T): void {
    const waiter = this.waiter
    if (waiter === undefined) this.queue.push(value)
    else {
      this.waiter = undefined
      waiter({ done: false, value })
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ done: false, value: this.queue.shift() as T })
    if (this.ended) return Promise.resolve({ done: true, value: undefined })
    return new Promise((resolve) => (this.waiter = resolve))
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.ended = true
      this.queue.length = 0
      this.onEnd()
      const waiter = this.waiter
      this.waiter = undefined
      waiter?.({ done: true, value: undefined })
    }
    return Promise.resolve({ done: true, value: undefined })
  }
}
