import type { CoreRequest } from '../adapter/types'
import type { WireError } from '../errors/wire-error'
import type { EndReason } from './end-reasons'

/** The matched route, as observers and middleware see it (its `RouteContract`). */
export interface ObservedRoute {
  readonly method: string
  /** The template (`/jobs/:jobId`), never the raw path. */
  readonly path: string
  /** The client method name and OpenAPI operationId. */
  readonly name: string
  readonly kind: 'json' | 'stream' | 'progressive'
}

/** One event of a stream, as a middleware's `onEvent` sees it. */
export interface ObservedEvent {
  /** The value sent (after its schema's validation). */
  data: unknown
  id: string | undefined
  event: string | undefined
  /** UTF-8 bytes of its frame. */
  bytes: number
}

/** What an observer learns when a request has matched a route. */
export interface ObservedRequest {
  readonly request: CoreRequest
  readonly route: ObservedRoute
  /** The raw path, without the query. */
  readonly path: string
}

/** How a request's answer ended: for a stream, once the stream has ended. */
export interface ObservedEnd {
  status: number
  /** True for an event stream (its status is 200 and its end came later). */
  stream: boolean
  reason: EndReason
  /** From the request's arrival to the end of the answer (of the stream). */
  durationMs: number
  /** Events sent, without the final `done` or `error`. */
  events: number
  /** UTF-8 bytes of the event frames, `done` and `error` included (not pings or the opening line). */
  bytes: number
  /** From the request's arrival to the first event's frame, when there was one. */
  firstEventMs: number | undefined
  /** The error answered or sent as an `error` event. */
  error: WireError | undefined
  /** The response headers sent (lowercase names). */
  headers: Readonly<Record<string, string | string[]>>
}

/**
 * Follows one request (a log line, a span). `run` wraps the function's call and every step of
 * its stream, so what the function starts (a child span) sees the probe's context.
 */
export interface Probe {
  run?<T>(fn: () => T): T
  /** The answer is a stream: its headers are decided, its events follow. */
  stream?(): void
  /** The stream's first event (time to first event) and every later one. */
  event?(bytes: number, index: number): void
  end(end: ObservedEnd): void
}

/** Something that watches every routed request (`createApp({ observers })`): logging, tracing, metrics. */
export interface RequestObserver {
  /** Called as a request matches a route; a probe follows it to its end. */
  start(request: ObservedRequest): Probe | undefined
}
