import type { RouteSpec } from './build-request'
import type { ConnectionState } from './connection-state'

/** Headers, or a function that computes them (a fresh token) before every request and every reconnect. */
export type HeadersOption =
  Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>)

/** How a stream reconnects after a dropped connection. */
export interface RetryOptions {
  /** Consecutive failed connects before the call gives up. Default 5. */
  maxAttempts?: number
  /** The reconnection delay until the server sends `retry:`. Default 1000 ms. */
  initialDelayMs?: number
  /** Upper bound of any one wait, backoff included. Default 30000 ms. */
  maxDelayMs?: number
  /** A number in [0, 1) for the jitter; `Math.random` by default (tests pin it). */
  random?: () => number
  /** Waits `ms` or rejects when `signal` aborts; a timer by default (tests record the delays). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>
}

/** The one options object of a generated client's `createClient`. */
export interface ClientOptions {
  /** The server's origin, with a path prefix if the app is mounted under one: `https://api.example.com/v1`. */
  baseUrl: string
  headers?: HeadersOption
  /** The fetch to use; the global one by default. */
  fetch?: typeof fetch
  retry?: RetryOptions
  /**
   * Silence (no byte while the client waits for one) after which an open stream counts as dead:
   * the client aborts it and resumes with `Last-Event-ID`. Default: twice the heartbeat period the
   * server names in `Sluice-Heartbeat-Ms`, plus 2000 ms; no timeout when it names none. 0 turns it off.
   */
  inactivityTimeoutMs?: number
  /** Sees (and may replace) every request: JSON calls and each connect of a stream. */
  onRequest?: OnRequest
  /** Sees (and may replace) every response; `retry()` sends the request once more. */
  onResponse?: OnResponse
}

/** What `onRequest` gets: the request about to be sent, and the route it calls. */
export interface RequestContext {
  /** Its headers can be changed in place; or return another `Request`. */
  request: Request
  route: RouteSpec
}

/** What `onResponse` gets: the request as sent, its response, and a way to send it again. */
export interface ResponseContext extends RequestContext {
  response: Response
  /**
   * Sends the request again (headers computed afresh, through `onRequest`) and resolves to the
   * new response, which replaces this one unless the hook returns another. Once per request.
   */
  retry: () => Promise<Response>
}

/** Called before every request is sent; a returned `Request` is sent instead. A throw fails the call. */
export type OnRequest = (context: RequestContext) => Request | undefined | Promise<Request | undefined>

/** Called with every response before the client reads it; a returned `Response` is used instead. */
export type OnResponse = (context: ResponseContext) => Response | undefined | Promise<Response | undefined>

/** Options of one call. */
export interface CallOptions {
  /** Aborts the request (and a stream, with its reconnects); the call rejects with `CANCELLED`. */
  signal?: AbortSignal
  /** Headers for this call only, over the client's. */
  headers?: Record<string, string>
}

/** Options of one stream call. */
export interface StreamCallOptions extends CallOptions {
  /** Resume a stream seen before: sent as `Last-Event-ID` on the first connect. */
  lastEventId?: string
  /** Called on every change of `call.state`: connecting, open, reconnecting, closed. */
  onStateChange?: (state: ConnectionState) => void
  /** This stream's `inactivityTimeoutMs`, over the client's. */
  inactivityTimeoutMs?: number
}

/** Stream call options with `onEvent`: the call then returns a Promise of the `done` value. */
export interface OnEventOptions<E> extends StreamCallOptions {
  /** Called with every event in order; a returned promise is awaited before the next one is read. */
  onEvent: (event: E) => unknown
}

/** Client options with every default filled in. */
export interface ResolvedClient {
  baseUrl: string
  headers: () => Promise<Record<string, string>>
  fetch: typeof fetch
  retry: Required<RetryOptions>
  inactivityTimeoutMs: number | undefined
  onRequest: OnRequest | undefined
  onResponse: OnResponse | undefined
}

/** Fills in the defaults of `ClientOptions`. */
export function resolveClient(options: ClientOptions): ResolvedClient {
  const { headers, fetch: custom } = options
  const retry = options.retry ?? {}
  checkTimeout(options.inactivityTimeoutMs)
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: () => Promise.resolve(typeof headers === 'function' ? headers() : { ...headers }),
    // Called as a plain function: browsers refuse `fetch` called as a method of another object.
    // The global one is looked up per call, so a polyfill or a test stub installed later is used.
    fetch: (input, init) => (custom ?? globalThis.fetch)(input, init),
    retry: {
      maxAttempts: retry.maxAttempts ?? 5,
      initialDelayMs: retry.initialDelayMs ?? 1000,
      maxDelayMs: retry.maxDelayMs ?? 30_000,
      random: retry.random ?? Math.random,
      wait: retry.wait ?? wait,
    },
    inactivityTimeoutMs: options.inactivityTimeoutMs,
    onRequest: options.onRequest,
    onResponse: options.onResponse,
  }
}

/** Refuses an `inactivityTimeoutMs` that is not a whole number of ms >= 0, before anything is sent. */
export function checkTimeout(ms: number | undefined): void {
  if (ms !== undefined && !(Number.isSafeInteger(ms) && ms >= 0)) {
    throw new TypeError(
      `sluice: inactivityTimeoutMs must be whole milliseconds >= 0 (0 turns it off), not ${String(ms)}`,
    )
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
