import type { CoreResponse } from '../adapter/types'
import type { Route } from '../app/wire-http'
import { toErrorBody, type WireError } from '../errors/wire-error'
import { HEARTBEAT_HEADER } from './heartbeat-header'

const JSON_TYPE = 'application/json; charset=utf-8'
const NON_ASCII = /[^\x00-\x7f]/

/**
 * A JSON response with a known length (so a HEAD answer can state it too). The body stays a
 * string: node:http then sends it in the same write as the headers, and nothing encodes it twice.
 * `headers` (the function's own, or core's) become the response's: the type and length are
 * written over them, so they can never change the type or length of the body.
 */
export function toJsonResponse(
  status: number,
  value: unknown,
  headers?: Record<string, string | string[]>,
): CoreResponse {
  const text = JSON.stringify(value)
  const length = String(NON_ASCII.test(text) ? utf8Length(text) : text.length)
  if (headers === undefined) {
    // The common case: one literal, so every such answer's headers share one hidden class.
    return { status, headers: { 'content-type': JSON_TYPE, 'content-length': length }, body: text }
  }
  headers['content-type'] = JSON_TYPE
  headers['content-length'] = length
  return { status, headers, body: text }
}

/**
 * The UTF-8 length of a string without encoding it. JSON.stringify escapes lone surrogates,
 * so a high surrogate here starts a pair (4 bytes); any other unit past U+07FF is 3 bytes.
 */
export function utf8Length(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) continue
    if (unit < 0x800) bytes += 1
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 2
      i++
    } else bytes += 2
  }
  return bytes
}

/** The response for an error before the first byte: its status and `{ error: { code, message } }`. */
export function toErrorResponse(error: WireError, headers?: Record<string, string>): CoreResponse {
  const own = headers === undefined ? undefined : { ...headers }
  return toJsonResponse(error.status, { error: toErrorBody(error) }, own)
}

/**
 * The headers of every stream: the protocol's fixed set (docs/protocol.md), then extras. No
 * `Connection` header: the runtime keeps the connection or closes it after the stream, as the
 * client asked.
 */
export function toStreamHeaders(
  route: Route,
  extra: Record<string, string | string[]> | undefined,
): Record<string, string | string[]> {
  // The function's own headers first: the protocol headers must win over them.
  const headers: Record<string, string | string[]> = {
    ...extra,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  }
  // `Connection: keep-alive` here made node keep a socket whose client sent `Connection: close`,
  // which RFC 9112 §9.6 says the server MUST close; and HTTP/2 forbids the header altogether.
  if (route.contract.kind === 'progressive') headers['vary'] = 'accept'
  // Only a period the server keeps: without heartbeats a quiet stream and a dead one look alike.
  if (route.stream.heartbeatMs > 0) headers[HEARTBEAT_HEADER] = String(route.stream.heartbeatMs)
  return { ...headers, ...route.stream.headers }
}

// RFC 9110 token characters for names; values may not hold CR, LF or NUL (header injection).
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const UNSAFE_VALUE = /[\r\n\0]/

/**
 * Collects the headers a function sets through `ctx.setHeader`, refusing unsafe ones at once.
 * Nothing is allocated until a function sets one (most set none).
 */
export class ResponseHeaders {
  /** The headers set, by lowercase name; `undefined` while none is. */
  values: Record<string, string | string[]> | undefined
  private sent = false
  private bound: ((name: string, value: string | readonly string[]) => void) | undefined

  /** `ctx.setHeader`: a function of its own (it is destructured), made on first read. */
  get set(): (name: string, value: string | readonly string[]) => void {
    return (this.bound ??= (name, value) => this.add(name, value))
  }

  /** Checks and adds one header (a list sends one header line per value). */
  add(name: string, value: string | readonly string[]): void {
    if (this.sent) throw new TypeError(`sluice: cannot set header "${name}" after the response started`)
    if (!TOKEN.test(name)) throw new TypeError(`sluice: invalid header name "${name}"`)
    const list = typeof value === 'string' ? [value] : [...value]
    if (list.some((item) => UNSAFE_VALUE.test(item))) {
      throw new TypeError(`sluice: header "${name}" must not contain CR, LF or NUL`)
    }
    ;(this.values ??= {})[name.toLowerCase()] = typeof value === 'string' ? value : list
  }

  /** Marks the headers as sent and returns them (`undefined` when none was set). */
  seal(): Record<string, string | string[]> | undefined {
    this.sent = true
    return this.values
  }
}
