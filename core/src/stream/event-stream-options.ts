import type { Validator } from '../schema/validate'
import type { RequestInfo } from '../errors/request-info'
import type { StreamRegistry } from './open-stream'
import type { StreamObserver } from './stream-observer'

/** One settled step of a source: a result, or what it threw. */
export type Step = { ok: true; result: IteratorResult<unknown, unknown> } | { ok: false; error: unknown }

/**
 * Tells the stream, once, that its call was aborted: the client left, or `abort` was called.
 * (`CallSignal`: an AbortSignal, with its abort event, is only made if the function reads it.)
 */
export interface AbortWatch {
  /** Calls `listener` once on abort; at once if the call is already aborted. */
  watch(listener: (reason: unknown) => void): void
  /** Forgets the listener. */
  unwatch(): void
}

/** Settings of one stream; `abort` aborts the function's `signal`. */
export interface EventStreamOptions {
  heartbeatMs: number
  retryMs: number
  maxDurationMs: number | undefined
  /** Fires when the client goes away (or `abort` is called). */
  aborts: AbortWatch
  /** Aborts the function's `ctx.signal`, with the reason the stream ended. */
  abort: (reason: unknown) => void
  validateEvent: Validator | undefined
  /** The function's declared kinds (`events`), each with its validator; an event of another kind is refused. */
  validateKinds?: ReadonlyMap<string, Validator> | undefined
  validateOutput: Validator | undefined
  /** The app's `onError`, told about `request` (passed as is: no closure per stream). */
  onError: (error: unknown, request: RequestInfo) => void
  request: RequestInfo
  /** An encoded chunk sent with the opening line (a progressive route's immediate value). */
  initial?: string
  /** The app's registry of open streams, so `closeApp` can end this one. */
  lifecycle?: StreamRegistry
  /** End the stream when the adapter has not taken a chunk for this long (a client not reading). */
  slowConsumerMs?: number
  /** The connection to drop when `slowConsumerMs` ends the stream (the request; see `CoreRequest.drop`). */
  connection?: { drop?(): void }
  /** Largest encoded event; a larger one ends the stream with `EVENT_TOO_LARGE`. */
  maxEventBytes?: number
  /** Longest event id: the longest `Last-Event-ID` the app takes back (`limits.lastEventIdBytes`). */
  maxIdChars?: number
  /** Called once when the stream has ended, however it ended (frees its concurrency slot). */
  onFinish?: () => void
  /** Told of every event and of the end (logging, tracing, middleware); absent when unobserved. */
  observer?: StreamObserver
}
