import type { CoreResponse } from '../adapter/types'
import type { Route } from '../app/wire-http'
import { toErrorBody, type WireError } from '../errors/wire-error'

const encoder = new TextEncoder()
const JSON_TYPE = 'application/json; charset=utf-8'

/** A JSON response with a known length (so a HEAD answer can state it too). */
export function toJsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): CoreResponse {
  const bytes = encoder.encode(JSON.stringify(value))
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'content-length': String(bytes.byteLength), ...headers },
    body: bytes,
  }
}

/** The response for an error before the first byte: its status and `{ error: { code, message } }`. */
export function toErrorResponse(error: WireError, headers: Record<string, string> = {}): CoreResponse {
  return toJsonResponse(error.status, { error: toErrorBody(error) }, headers)
}

/** The headers of every stream: DESIGN's fixed set, `keep-alive` on HTTP/1.1 only, then extras. */
export function toStreamHeaders(route: Route, httpVersion: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  }
  if (httpVersion === '1.1') headers['connection'] = 'keep-alive'
  if (route.sse) headers['vary'] = 'accept'
  return { ...headers, ...route.stream.headers }
}
