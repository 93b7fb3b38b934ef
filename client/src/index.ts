// The client runtime shipped with generated clients.

/** Parses a `text/event-stream` body (a ReadableStream or AsyncIterable of bytes) into events, per WHATWG. */
export { parseEventStream } from './parse-event-stream'
/** Thrown when one event grows past `maxEventBytes`; the parser stops reading first. */
export { EventTooLargeError } from './parse-event-stream'
/** One dispatched event: `{ event, data, lastEventId }`. */
export type { SseEvent } from './parse-event-stream'
/** Options of `parseEventStream`: `onRetry`, `maxEventBytes`, `signal`. */
export type { ParseOptions } from './parse-event-stream'

/** Makes the methods of a generated client; `createClient` in the generated file calls it. */
export { createCaller } from './create-caller'
/** The method types a generated client's `Client` interface is made of. */
export type {
  Caller,
  DeclaredErrors,
  EventsMethod,
  JsonMethod,
  KindCallback,
  KindEvent,
  MethodArgs,
  OnKindOptions,
  ProgressiveEventsMethod,
  ProgressiveMethod,
  StreamMethod,
} from './create-caller'
/** A running stream: `AsyncIterable` of its events, with `result`, `lastEventId`, `state` and `cancel()`. */
export type { StreamCall } from './stream-call'
/** Where a stream call's connection is: `connecting`, `open`, `reconnecting` or `closed`. */
export type { ConnectionState } from './connection-state'
/** The error every failed call rejects with: `code`, `status`, `message`, `details`. */
export { SluiceClientError } from './client-error'
/** Narrows a caught error to the codes a method declares, with typed details. */
export { isCallError } from './client-error'
/** The codes the client raises itself (`NETWORK`, `CANCELLED`, ...), the server's own, and a method's errors. */
export type { CallError, ClientErrorCode, ServerErrorCode } from './client-error'
/** `createClient`'s options, a call's options, how streams reconnect, and the request hooks. */
export type {
  CallOptions,
  ClientOptions,
  HeadersOption,
  OnEventOptions,
  OnRequest,
  OnResponse,
  RequestContext,
  ResponseContext,
  RetryOptions,
  StreamCallOptions,
} from './options'
/** What a generated client knows of a route. */
export type { RouteMethod, RouteSpec } from './build-request'
