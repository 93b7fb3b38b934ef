/** The SSE fields a value may carry besides its data. */
export interface EventFields {
  /** `id:`; becomes the client's `Last-Event-ID`. No CR, LF or NUL. */
  id?: string
  /** `event:`; omit for the default `message` type. No CR, LF or NUL; not `done` or `error`. */
  event?: string
  /** `retry:`; the client's reconnection delay in ms, a whole number >= 0. */
  retry?: number
}

/** A value wrapped with SSE fields; build it with `withEvent`. */
export class EventEnvelope<T> {
  constructor(
    readonly fields: Readonly<EventFields>,
    readonly data: T,
  ) {}
}

// The WHATWG parser ends a field at CR or LF and drops an `id` with NUL, so any of the three
// in a field would either inject a new field or silently lose the id.
const FORBIDDEN = /[\r\n\0]/
// A lone surrogate cannot be written as UTF-8: it would arrive as U+FFFD, a different name or id.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// `done` and `error` are sluice's own event types; a user event by those names would make
// a client stop early or report a failure that did not happen.
const RESERVED = new Set(['done', 'error'])

/**
 * Attaches `id` / `event` / `retry` to a yielded or sent value. Throws a TypeError at once
 * for a field that could inject a line or break the protocol, so nothing bad is ever written.
 */
export function withEvent<T>(fields: EventFields, data: T): EventEnvelope<T> {
  checkFields(fields)
  return new EventEnvelope(fields, data)
}

/** Validates SSE fields; the encoder relies on this having run. */
export function checkFields(fields: EventFields): void {
  const { id, event, retry } = fields
  if (id !== undefined && (typeof id !== 'string' || FORBIDDEN.test(id) || LONE_SURROGATE.test(id))) {
    throw new TypeError('sluice: event id must be a string without CR, LF, NUL or lone surrogates')
  }
  if (event !== undefined) {
    if (typeof event !== 'string' || event === '' || FORBIDDEN.test(event) || LONE_SURROGATE.test(event)) {
      throw new TypeError(
        'sluice: event name must be a non-empty string without CR, LF, NUL or lone surrogates',
      )
    }
    if (RESERVED.has(event)) throw new TypeError(`sluice: event name "${event}" is reserved`)
  }
  if (retry !== undefined && !(Number.isSafeInteger(retry) && retry >= 0)) {
    throw new TypeError('sluice: retry must be a whole number of milliseconds >= 0')
  }
}
