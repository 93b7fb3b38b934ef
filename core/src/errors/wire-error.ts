import { toStatus, type KnownErrorCode } from './status-table'

/** Options of a `WireError`: an explicit status, details for the client, a cause for logs. */
export interface WireErrorOptions {
  /** HTTP status; defaults to the status table's entry for the code, else 500. */
  status?: number
  /** JSON-serialisable details sent to the client (validation issues, limits). */
  details?: unknown
  /** The underlying error; logged, never sent. */
  cause?: unknown
}

/**
 * The one error class whose code and message reach the client. Throw it from a function to
 * answer a chosen status before the first byte, or an `event: error` after it.
 */
export class WireError extends Error {
  /** Stable string code, e.g. `NOT_FOUND`; clients switch on it. */
  readonly code: KnownErrorCode | (string & {})
  /** The HTTP status this error answers with before the first byte. */
  readonly status: number
  /** Extra JSON sent to the client under `error.details`. */
  readonly details: unknown

  constructor(code: KnownErrorCode | (string & {}), message: string, options: WireErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'WireError'
    this.code = code
    this.status = options.status ?? toStatus(code)
    this.details = options.details
  }
}

/** The JSON shape of an error on the wire, in a body or an `event: error`. */
export interface WireErrorBody {
  code: string
  message: string
  details?: unknown
}

const GENERIC = 'Internal server error'

/**
 * Turns any thrown value into what the client may see: a `WireError` keeps its code and
 * message; anything else becomes `INTERNAL` with a generic message, whatever NODE_ENV says.
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof WireError) return error
  return new WireError('INTERNAL', GENERIC, { cause: error })
}

/** The JSON body of an error: `{ code, message }`, plus `details` when there are any. */
export function toErrorBody(error: WireError): WireErrorBody {
  const body: WireErrorBody = { code: error.code, message: error.message }
  if (error.details !== undefined) body.details = error.details
  return body
}
