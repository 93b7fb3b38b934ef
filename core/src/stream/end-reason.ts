import { WireError } from '../errors/wire-error'

/**
 * A `WireError` that says why a stream ended (`STREAM_ENDED`, `CLIENT_CLOSED`, ...), for
 * `ctx.signal.reason`. It carries no stack trace: capturing one costs more than the rest of a
 * short stream, and a stack into sluice's engine would tell the function nothing.
 */
export function endReason(code: string, message: string): WireError {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new WireError(code, message)
  } finally {
    Error.stackTraceLimit = limit
  }
}
