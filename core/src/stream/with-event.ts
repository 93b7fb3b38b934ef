/** The SSE fields a value may carry besides its data. */
export interface EventFields {
  /**
   * `id:`; becomes the client's `Last-Event-ID`. Visible ASCII (0x21-0x7E) with spaces only
   * between characters, or empty (which clears the client's last id); see `isEventId`.
   */
  id?: string
  /** `event:`; omit for the default `message` type. No CR, LF or NUL; not `done` or `error`. */
  event?: string
  /** `retry:`; the client's reconnection delay in ms, a whole number >= 0. */
  retry?: number
}

/**
 * A value wrapped with SSE fields; build it with `withEvent`. `K` is its event name as a type
 * (`undefined`: the default `message` type), so a function that declares `events` takes only its kinds.
 */
export class EventEnvelope<T, K extends string | undefined = string | undefined> {
  // Types only (nothing is stored): a name, unlike the optional `fields.event`, tells kinds apart.
  declare readonly '~kind': K
  constructor(
    readonly fields: Readonly<EventFields>,
    readonly data: T,
  ) {}
}

// The WHATWG parser ends a field at CR or LF and drops an `id` with NUL, so any of the three
// in an event name would either inject a new field or silently lose the event.
const FORBIDDEN = /[\r\n\0]/
/**
 * The event ids sluice sends: empty, or visible ASCII (0x21-0x7E) with spaces only between
 * characters. For schemas of ids (`z.string().regex(eventIdPattern)`) and OpenAPI's `pattern`.
 */
// An id must come back byte for byte as a `Last-Event-ID` header: HTTP trims spaces around a
// field value (RFC 9110 §5.5), servers refuse controls, node reads bytes >= 0x80 as Latin-1,
// uWS drops them, and fetch throws above U+00FF. Visible ASCII, spaces inside, survives all.
export const eventIdPattern = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/
// A lone surrogate cannot be written as UTF-8: it would arrive as U+FFFD, a different name or id.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// `done` and `error` are sluice's own event types; a user event by those names would make
// a client stop early or report a failure that did not happen.
const RESERVED = new Set(['done', 'error'])

/**
 * Attaches `id` / `event` / `retry` to a yielded or sent value. Throws a TypeError at once
 * for a field that could inject a line or break the protocol, so nothing bad is ever written.
 */
export function withEvent<T, const K extends string | undefined = undefined>(
  fields: EventFields & { event?: K },
  data: T,
): EventEnvelope<T, K> {
  checkFields(fields)
  return new EventEnvelope(fields, data)
}

/**
 * Whether `id` is an event id sluice sends and takes back as `Last-Event-ID`: empty, or visible
 * ASCII (0x21-0x7E) with spaces (0x20) only between characters (`eventIdPattern`).
 */
export function isEventId(id: string): boolean {
  return eventIdPattern.test(id)
}

/** Validates SSE fields; the encoder relies on this having run. */
export function checkFields(fields: EventFields): void {
  const { id, event, retry } = fields
  if (id !== undefined && (typeof id !== 'string' || !eventIdPattern.test(id))) {
    throw new TypeError(
      `sluice: event id ${describe(id)} cannot come back as Last-Event-ID: use visible ASCII ` +
        '(0x21-0x7E) with spaces only between characters, e.g. encodeURIComponent(id)',
    )
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

// The refused id, quoted and cut short: enough to find it in the code that made it.
function describe(id: unknown): string {
  if (typeof id !== 'string') return `of type ${typeof id}`
  const quoted = JSON.stringify(id)
  return quoted.length > 40 ? `${quoted.slice(0, 37)}..."` : quoted
}
