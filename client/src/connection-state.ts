import type { SluiceClientError } from './client-error'

/**
 * Where a stream call's connection is, discriminated by `status`: read it as `call.state`, or
 * follow it with the `onStateChange` call option. `attempt` counts connects since the stream
 * was last open (1, 2, ... up to `retry.maxAttempts`).
 */
export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'open' }
  | { status: 'reconnecting'; attempt: number; delayMs: number; error: SluiceClientError }
  | { status: 'closed'; reason: 'done' }
  | { status: 'closed'; reason: 'error' | 'cancelled'; error: unknown }
