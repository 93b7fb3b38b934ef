// The client runtime shipped with generated clients.

/** Parses a `text/event-stream` body (a ReadableStream or AsyncIterable of bytes) into events, per WHATWG. */
export { parseEventStream } from './parse-event-stream'
/** Thrown when one event grows past `maxEventBytes`; the parser stops reading first. */
export { EventTooLargeError } from './parse-event-stream'
/** One dispatched event: `{ event, data, lastEventId }`. */
export type { SseEvent } from './parse-event-stream'
/** Options of `parseEventStream`: `onRetry`, `maxEventBytes`, `signal`. */
export type { ParseOptions } from './parse-event-stream'
