import type { Channel } from '../app/define-function'
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
export async function pipeToChannel<T>(
  subscription: AsyncIterable<HubEvent<T>>,
  channel: Channel<T, unknown>,
  options: PipeOptions = {},
): Promise<void> {
  try {
    // `break` returns the subscription, which unregisters it at once.
    for await (const event of subscription) if (!channel.send(event)) break
  } catch (error) {
    ;(options.onError ?? logError)(error)
    channel.close()
  }
}

function logError(error: unknown): void {
  console.error('sluice: a hub subscription piped to a channel failed:', error)
}
