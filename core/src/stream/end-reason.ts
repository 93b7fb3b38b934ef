import { WireError } from '../errors/wire-error'

const reasons = new Map<string, WireError>()

/**
 * A `WireError` that says why a stream ended (`STREAM_ENDED`, `CLIENT_CLOSED`, ...), for
 * `ctx.signal.reason`. One frozen instance per code, made once and without a stack trace: an
 * Error per stream end costs more than the rest of a short stream, and a stack into sluice's
 * engine would tell the function nothing.
 */
export function endReason(code: string, message: string): WireError {
  let reason = reasons.get(code)
  if (reason === undefined) {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      reason = Object.freeze(new WireError(code, message))
    } finally {
      Error.stackTraceLimit = limit
    }
    reasons.set(code, reason)
  }
  return reason
}
