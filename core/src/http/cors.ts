import type { CoreRequest, CoreResponse } from '../adapter/types'
import { HEARTBEAT_HEADER } from './respond'

/**
 * Cross-origin settings of `createApp({ cors })`. Core answers preflights itself and adds the
 * headers to every answer (JSON, streams, errors), so each runtime behaves the same.
 */
export interface CorsOptions {
  /**
   * Origins allowed to call, as browsers send them (`https://app.example`), or a function that
   * decides. The request's `Origin` is echoed back; `*` is refused, since it cannot go with
   * credentials and would let any site read the answers.
   */
  origin: readonly string[] | ((origin: string) => boolean)
  /** Send `Access-Control-Allow-Credentials: true` (cookies, `fetch(..., { credentials: 'include' })`). */
  credentials?: boolean
  /** Request headers a preflight allows. Default: the ones the preflight asks for (as `cors` does). */
  allowHeaders?: readonly string[]
  /** Response headers scripts may read beyond the CORS-safelisted ones. Default none. */
  exposeHeaders?: readonly string[]
  /** Seconds a browser may cache a preflight answer. Default: not sent (browsers keep it 5 s). */
  maxAge?: number
}

/** `CorsOptions` checked once by `createApp`, ready for every request. */
export interface ResolvedCors {
  allows(origin: string): boolean
  credentials: boolean
  allowHeaders: string | undefined
  exposeHeaders: string | undefined
  maxAge: string | undefined
}

/** Checks the options at startup, so a typo in an origin fails at once rather than in a browser. */
export function resolveCors(options: CorsOptions | undefined): ResolvedCors | undefined {
  if (options === undefined) return undefined
  const { origin, maxAge } = options
  if (maxAge !== undefined && !(Number.isSafeInteger(maxAge) && maxAge >= 0)) {
    throw new Error(`sluice: cors.maxAge must be whole seconds >= 0, not ${String(maxAge)}`)
  }
  const list = typeof origin === 'function' ? undefined : new Set(origin.map(toOrigin))
  return {
    allows: typeof origin === 'function' ? origin : (value) => list?.has(value) === true,
    credentials: options.credentials === true,
    allowHeaders: options.allowHeaders?.join(', '),
    exposeHeaders: options.exposeHeaders?.length ? options.exposeHeaders.join(', ') : undefined,
    maxAge: maxAge === undefined ? undefined : String(maxAge),
  }
}

// Browsers send an origin serialised (lowercase scheme and host, no default port, no path);
// a configured one is brought to the same form so `https://App.example/` still matches.
function toOrigin(value: string): string {
  if (value === 'null') return value // sandboxed iframes and file: pages send it literally
  if (value === '*') {
    throw new Error('sluice: cors.origin cannot be "*"; list the origins, or pass a function that decides')
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`sluice: cors.origin "${value}" is not an origin like https://app.example`)
  }
  if (url.origin === 'null') throw new Error(`sluice: cors.origin "${value}" has no origin`)
  return url.origin
}

/**
 * Adds the CORS headers to a handler's answers (every status, streams included). Without
 * `cors` the handler is returned as it is.
 */
export function withCors<A extends unknown[], R extends CoreResponse | undefined>(
  cors: ResolvedCors | undefined,
  handle: (request: CoreRequest, ...rest: A) => Promise<R>,
): (request: CoreRequest, ...rest: A) => Promise<R> {
  if (cors === undefined) return handle
  return async (request, ...rest) => {
    const response = await handle(request, ...rest)
    if (response === undefined) return response
    const { origin } = request.headers
    const headers: Record<string, string | string[]> = { ...response.headers, vary: vary(response.headers) }
    if (origin !== undefined && cors.allows(origin)) {
      // The exact origin, never `*`: browsers refuse `*` on a request with credentials.
      headers['access-control-allow-origin'] = origin
      if (cors.credentials) headers['access-control-allow-credentials'] = 'true'
      const expose = exposed(cors, response.headers)
      if (expose !== undefined) headers['access-control-expose-headers'] = expose
    }
    return { ...response, headers }
  }
}

/**
 * Answers an `OPTIONS` request on a wired path: 204 with `Allow` and, for a preflight from an
 * allowed origin, the methods and headers it may use. `withCors` adds the origin, credentials
 * and `Vary` as on any answer; another origin gets no `Access-Control-*` header at all, which
 * is how a browser learns it is refused.
 */
export function preflight(cors: ResolvedCors, request: CoreRequest, allow: readonly string[]): CoreResponse {
  const headers: Record<string, string> = { allow: allow.join(', ') }
  const reflect = cors.allowHeaders === undefined
  // Reflected headers make the answer depend on what was asked, so caches key on that too.
  if (reflect) headers['vary'] = 'access-control-request-headers'
  const { origin } = request.headers
  if (origin !== undefined && cors.allows(origin) && request.headers['access-control-request-method']) {
    headers['access-control-allow-methods'] = headers['allow'] as string
    const allowHeaders = reflect ? request.headers['access-control-request-headers'] : cors.allowHeaders
    if (allowHeaders) headers['access-control-allow-headers'] = allowHeaders
    if (cors.maxAge !== undefined) headers['access-control-max-age'] = cors.maxAge
  }
  return { status: 204, headers, body: undefined }
}

// A browser hides every header not exposed: the client needs a stream's heartbeat to spot a dead one.
function exposed(cors: ResolvedCors, headers: CoreResponse['headers']): string | undefined {
  if (headers[HEARTBEAT_HEADER] === undefined) return cors.exposeHeaders
  return cors.exposeHeaders === undefined ? HEARTBEAT_HEADER : `${cors.exposeHeaders}, ${HEARTBEAT_HEADER}`
}

// The answer depends on the request's Origin whatever it was, so caches must key on it.
function vary(headers: CoreResponse['headers']): string {
  return [headers['vary'] ?? [], 'origin'].flat().join(', ')
}
