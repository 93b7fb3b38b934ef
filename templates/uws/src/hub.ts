import { WireError } from '@sluice/core'

/**
 * A small in-memory event hub: `publish` to a topic, `subscribe` to read it as an async
 * iterable. One process only; across several servers, put Redis pub/sub or Postgres
 * LISTEN/NOTIFY behind the same two methods.
 */
export class EventHub<T> {
  readonly #topics = new Map<string, Set<(event: T) => void>>()

  /** Delivers `event` to the topic's current subscribers; returns how many there were. */
  publish(topic: string, event: T): number {
    const listeners = this.#topics.get(topic)
    for (const listener of listeners ?? []) listener(event)
    return listeners?.size ?? 0
  }

  /** How many subscriptions the topic has now. */
  subscribers(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0
  }

  /**
   * The topic's events from the first `next()` on. The subscription is removed in `finally`,
   * whether the consumer breaks out or `signal` aborts while it waits for the next event.
   */
  async *subscribe(topic: string, signal: AbortSignal, maxQueued = 100): AsyncGenerator<T, void, undefined> {
    const queue: T[] = []
    let wake = (): void => undefined
    const listeners = this.#topics.get(topic) ?? new Set()
    const listener = (event: T): void => {
      // A consumer this far behind is not reading: drop it rather than queue without bound.
      if (queue.length < maxQueued) queue.push(event)
      else listeners.delete(listener)
      wake()
    }
    const onAbort = (): void => wake()
    this.#topics.set(topic, listeners.add(listener))
    signal.addEventListener('abort', onAbort)
    try {
      while (!signal.aborted) {
        const batch = queue.splice(0)
        for (const event of batch) yield event
        if (!listeners.has(listener)) throw new WireError('SLOW_CONSUMER', 'Too many undelivered events')
        if (batch.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      listeners.delete(listener)
      if (listeners.size === 0) this.#topics.delete(topic)
      signal.removeEventListener('abort', onAbort)
    }
  }
}
