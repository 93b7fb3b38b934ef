import { WireError } from '../errors/wire-error'
import type { Validation } from '../schema/validate'
import type { EventFields } from './with-event'

const encoder = new TextEncoder()

/**
 * One event over `maxEventBytes` is the server's bug (or a runaway value): it ends the stream
 * with an error instead of sending megabytes nobody asked for. UTF-8 needs at most 3 bytes a
 * UTF-16 unit here, so only a frame that might be too large is measured.
 */
export function sizedFrame(frame: string, limit: number | undefined): string {
  if (limit === undefined || frame.length * 3 <= limit) return frame
  if (frame.length > limit || encoder.encode(frame).byteLength > limit) {
    throw new WireError('EVENT_TOO_LARGE', `An event was larger than ${limit} bytes`)
  }
  return frame
}

/**
 * An id longer than the app takes back as `Last-Event-ID` would make the client's resume a
 * 400: the server's bug, reported (`onError`) and ended as an error rather than sent.
 */
export function resumableFields(
  fields: EventFields | undefined,
  limit: number | undefined,
): EventFields | undefined {
  if (limit !== undefined && fields?.id !== undefined && fields.id.length > limit) {
    throw new TypeError(
      `sluice: an event id of ${fields.id.length} characters is longer than limits.lastEventIdBytes (${limit}): a client could not resume with it`,
    )
  }
  return fields
}

/**
 * A kind the function did not declare breaks its contract like an invalid value does. The name
 * is the function's own (`withEvent` checked it), so it may be shown.
 */
export function undeclaredKind(kind: string): WireError {
  const shown = kind.length > 40 ? `${kind.slice(0, 37)}...` : kind
  return new WireError(
    'INVALID_OUTPUT',
    `The server sent an event of kind "${shown}", which it does not declare`,
  )
}

/** A value that does not match its schema: the server broke its own contract. */
export function invalidOutput(validation: Extract<Validation, { ok: false }>): WireError {
  return new WireError('INVALID_OUTPUT', 'The server produced a value that does not match its schema', {
    cause: validation.issues,
  })
}
