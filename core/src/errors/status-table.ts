/**
 * The one table from error code to HTTP status. Codes are stable strings that clients may
 * switch on; a code that is not listed here answers 500 unless its `WireError` names a status.
 */
export const statusByCode = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  CONFLICTING_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  INVALID_OUTPUT: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>

/** A code that sluice itself uses; user code may add its own. */
export type KnownErrorCode = keyof typeof statusByCode

/** The HTTP status for an error code: the table, else 500. */
export function toStatus(code: string): number {
  return Object.hasOwn(statusByCode, code) ? statusByCode[code as KnownErrorCode] : 500
}
