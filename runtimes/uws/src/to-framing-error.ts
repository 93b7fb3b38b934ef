import { WireError } from '@sluice/core/adapter'

const DIGITS = /^\d+$/
const CHUNKED = /^chunked$/i

/**
 * The error for a request whose body length the headers do not state in exactly one way
 * (RFC 9112 §6.3), or `undefined`. This uWS build takes the first of two `Content-Length`
 * values and decodes any `Transfer-Encoding` as chunked; a proxy in front may frame the same
 * bytes otherwise, so such a request is refused rather than read (request smuggling).
 * `headers` are the copied ones, repeated names joined with `, `.
 */
export function toFramingError(headers: Readonly<Record<string, string | undefined>>): WireError | undefined {
  const length = headers['content-length']
  if (length !== undefined && !DIGITS.test(length)) {
    return new WireError('BAD_REQUEST', 'Content-Length must be given once, as a whole number')
  }
  const coding = headers['transfer-encoding']
  if (coding !== undefined && !CHUNKED.test(coding)) {
    return new WireError('BAD_REQUEST', 'Transfer-Encoding must be exactly "chunked"')
  }
  // uWS's parser closes such a connection itself; refused here too should a build not.
  if (coding !== undefined && length !== undefined) {
    return new WireError('BAD_REQUEST', 'Give either Content-Length or Transfer-Encoding, not both')
  }
  return undefined
}
