/**
 * Codes the client itself raises, next to the server's own (`VALIDATION_ERROR`, `NOT_FOUND`, ...):
 * `NETWORK` (no answer), `CANCELLED` (`break`, `cancel()` or an AbortSignal), `BAD_CONTENT_TYPE`
 * (a stream call answered with something else than `text/event-stream`), `BAD_RESPONSE` (a body
 * or event that is not JSON), `NO_CONTENT` (a stream call answered 204), `HTTP_ERROR` (an error
 * status without sluice's JSON error body).
 */
export type ClientErrorCode =
  'NETWORK' | 'CANCELLED' | 'BAD_CONTENT_TYPE' | 'BAD_RESPONSE' | 'NO_CONTENT' | 'HTTP_ERROR'

/** The codes a sluice server answers with on its own (its status table and stream endings). */
export type ServerErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_ERROR'
  | 'INVALID_JSON'
  | 'CONFLICTING_INPUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_ACCEPTABLE'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL'
  | 'INVALID_OUTPUT'
  | 'SERVICE_UNAVAILABLE'
  | 'SLOW_CONSUMER'
  | 'EVENT_TOO_LARGE'

/**
 * A caught error of a method whose function declares error codes, narrowed by `code`: a
 * declared code carries its typed `details`; the rest are sluice's and the client's own.
 */
export type CallError<Errs> =
  | {
      [C in keyof Errs & string]: SluiceClientError & { readonly code: C; readonly details: Errs[C] }
    }[keyof Errs & string]
  | (SluiceClientError & { readonly code: Exclude<ClientErrorCode | ServerErrorCode, keyof Errs> })

/**
 * Whether `error` is a `SluiceClientError`, typed as one that `method` fails with: then
 * `switch (error.code)` narrows `details` to each declared code's type.
 */
export function isCallError<Errs>(
  _method: { readonly '~errors'?: Errs },
  error: unknown,
): error is CallError<Errs> {
  return error instanceof SluiceClientError
}

/** Options of a `SluiceClientError`. */
export interface ClientErrorOptions {
  status?: number | undefined
  details?: unknown
  cause?: unknown
}

/** Every failure of a generated client's call: the server's error code and message, or the client's own. */
export class SluiceClientError extends Error {
  override readonly name = 'SluiceClientError'
  /** The server's `error.code` (or an `event: error`'s code), else one of `ClientErrorCode`. */
  readonly code: ClientErrorCode | (string & {})
  /** The HTTP status when the server answered with one; `undefined` for network, stream and cancel errors. */
  readonly status: number | undefined
  /** The server's `error.details` (validation issues, limits), when it sent any. */
  readonly details: unknown

  constructor(code: ClientErrorCode | (string & {}), message: string, options: ClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status
    this.details = options.details
  }
}

/** The error for an answer with an error status: sluice's `{ error: { code, message, details } }` when it is there. */
export async function toResponseError(response: Response): Promise<SluiceClientError> {
  const { status } = response
  let body: unknown
  try {
    body = JSON.parse(await response.text())
  } catch {
    body = undefined
  }
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined
  if (error !== undefined && typeof error['code'] === 'string') {
    const message = typeof error['message'] === 'string' ? error['message'] : `HTTP ${status}`
    return new SluiceClientError(error['code'], message, { status, details: error['details'] })
  }
  return new SluiceClientError('HTTP_ERROR', `HTTP ${status} ${response.statusText}`.trim(), { status })
}

/** The error for a call that was cancelled (the abort reason kept as the cause). */
export function toCancelledError(reason: unknown): SluiceClientError {
  return new SluiceClientError('CANCELLED', 'The call was cancelled', { cause: reason })
}

/** The error for a request that got no answer (`fetch` rejected). */
export function toNetworkError(cause: unknown): SluiceClientError {
  const detail = cause instanceof Error ? `: ${cause.message}` : ''
  return new SluiceClientError('NETWORK', `The request failed${detail}`, { cause })
}

/** `{ code, message }` from an `event: error`'s data, whatever shape it has. */
export function toStreamError(data: string): SluiceClientError {
  let body: unknown
  try {
    body = JSON.parse(data)
  } catch {
    body = undefined
  }
  if (isRecord(body) && typeof body['code'] === 'string') {
    const message = typeof body['message'] === 'string' ? body['message'] : 'The stream failed'
    return new SluiceClientError(body['code'], message, { details: body['details'] })
  }
  return new SluiceClientError('BAD_RESPONSE', 'The stream failed with an unreadable error event')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
