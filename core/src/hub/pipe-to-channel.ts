import type { Channel } from '../app/define-function'
import { isTakeSource, takeNext, type TakeSource } from '../stream/take-source'
import type { HubEvent } from './event-hub'

/** Options of `pipeToChannel`. */
export interface PipeOptions {
  /** Told when the subscription fails (a replay gap without `onReset`, a failed read). Default: `console.error`. */
  onError?: (error: unknown) => void
}

/**
 * Sends every event of a subscription to a progressive route's channel, ids included, until
 * the subscription ends (its signal aborts) or the channel closes (the client left or fell
 * behind), whichever is first; the other is then ended too. Never rejects: when the
 * subscription fails, the error goes to `onError` and the channel is closed, so the client is
 * not left waiting on a stream that will get nothing more.
 */
export function pipeToChannel<T>(
  subscription: AsyncIterable<HubEvent<T>>,
  channel: Channel<T, unknown>,
  options: PipeOptions = {},
): Promise<void> {
  // A hub's own subscription hands each event over as it is published: no promise per event.
  if (isTakeSource(subscription)) return new Pipe(subscription, channel, options).done
  return pipeIterable(subscription, channel, options)
}

async function pipeIterable<T>(
  subscription: AsyncIterable<HubEvent<T>>,
  channel: Channel<T, unknown>,
  options: PipeOptions,
): Promise<void> {
  try {
    // `break` returns the subscription, which unregisters it at once.
    for await (const event of subscription) if (!channel.send(event)) break
  } catch (error) {
    ;(options.onError ?? logError)(error)
    channel.close()
  }
}

// The same as `pipeIterable`, read with `takeNext`: ready events in a loop, then a callback.
class Pipe<T> {
  readonly done: Promise<void>
  private resolve!: () => void

  constructor(
    private readonly source: TakeSource & Partial<AsyncIterator<unknown>>,
    private readonly channel: Channel<T, unknown>,
    private readonly options: PipeOptions,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve))
    this.next()
  }

  private next(): void {
    for (;;) {
      let result: IteratorResult<unknown, unknown> | undefined
      try {
        result = this.source[takeNext](this.onResult, this.onError)
      } catch (error) {
        return this.onError(error)
      }
      if (result === undefined || !this.send(result)) return
    }
  }

  // False once the pipe has ended (the subscription did, or the channel refused an event).
  private send(result: IteratorResult<unknown, unknown>): boolean {
    if (result.done === true) {
      this.resolve()
      return false
    }
    if (this.channel.send(result.value as HubEvent<T>)) return true
    void this.source.return?.().catch(() => undefined)
    this.resolve()
    return false
  }

  private readonly onResult = (result: IteratorResult<unknown, unknown>): void => {
    if (this.send(result)) this.next()
  }

  private readonly onError = (error: unknown): void => {
    ;(this.options.onError ?? logError)(error)
    this.channel.close()
    this.resolve()
  }
}

function logError(error: unknown): void {
  console.error('sluice: a hub subscription piped to a channel failed:', error)
}
