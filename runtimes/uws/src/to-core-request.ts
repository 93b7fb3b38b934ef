import { concatBytes, hasBody, WireError, type CoreRequest } from '@sluice/core/adapter'

/** The uWS `HttpRequest` methods sluice reads. uWS frees it when the route handler returns. */
export interface UwsRequest {
  getMethod(): string
  getUrl(): string
  getQuery(): string | undefined
  forEach(callback: (name: string, value: string) => void): void
}

/** The uWS `HttpResponse` methods sluice needs while reading a request. */
export interface UwsRequestSide {
  onAborted(handler: () => void): unknown
  onData(handler: (chunk: ArrayBuffer, isLast: boolean) => void): unknown
  close(): unknown
}

/** Options of `toCoreRequest`. */
export interface ToCoreRequestOptions {
  /**
   * Most body bytes kept before core asks for the body (it asks after `authenticate`).
   * `attachUws` passes the app's `limits.bodyBytes`, the limit core then reads with.
   */
  maxBodyBytes?: number
}

/** Whether uWS reported the response aborted, and who wants to know; see `abortOf`. */
export interface UwsAbort {
  aborted: boolean
  /** The request's `signal`, made on first read. */
  controller: AbortController | undefined
  /** Called once on abort (the sender waiting for `onWritable`, a body read). */
  listeners: (() => void)[]
}

// No prototype chain to Object.prototype, so a header named `constructor` or `__proto__` is
// just a header; unlike `Object.create(null)`, which starts as a hash table (about 0.2 KiB an
// idle stream keeps), V8 keeps these objects in fast mode.
const HeaderRecord = function HeaderRecord() {
  // Nothing to set up: headers are added one by one.
} as unknown as new () => Record<string, string>
HeaderRecord.prototype = Object.create(null) as Record<string, string>

/**
 * Adds an abort listener. A copy of exactly the new size rather than `push`: a request has one
 * or two listeners, and V8 grows an empty array to 17 slots on the first push.
 */
export function addListener(abort: UwsAbort, listener: () => void): void {
  abort.listeners = abort.listeners.concat(listener)
}

/** The abort state `toCoreRequest` keeps for `sendCoreResponse`, which then never makes the signal. */
export function abortOf(request: CoreRequest): UwsAbort | undefined {
  return request instanceof UwsCoreRequest ? request.abort : undefined
}

// The record `forEach` copies into: it calls back at once, so one module-level slot and one
// function serve every request, without a closure each.
let copying: Record<string, string> | undefined

function copyHeader(name: string, value: string): void {
  const headers = copying as Record<string, string>
  const seen = headers[name]
  headers[name] = seen === undefined ? value : `${seen}${name === 'cookie' ? '; ' : ', '}${value}`
}

// uWS gives methods in lowercase; the usual ones need no new string per request.
const UPPER: Partial<Record<string, string>> = Object.fromEntries(
  ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'].map((method) => [
    method,
    method.toUpperCase(),
  ]),
)

/**
 * Converts a uWS request into core's neutral request. Call it synchronously in the route
 * handler: it copies everything from `req` and registers `onAborted` and `onData` at once.
 * The signal is made on first read, so a request that never reads it costs no AbortController.
 */
export function toCoreRequest(
  res: UwsRequestSide,
  req: UwsRequest,
  options: ToCoreRequestOptions = {},
): CoreRequest {
  const headers = new HeaderRecord()
  copying = headers
  try {
    req.forEach(copyHeader)
  } finally {
    copying = undefined
  }
  // uWS's getQuery() is undefined without a `?` (its d.ts says empty string).
  const query = req.getQuery()
  const given = req.getMethod()
  const method = UPPER[given] ?? given.toUpperCase()
  const url = query === undefined ? req.getUrl() : `${req.getUrl()}?${query}`
  const request = new UwsCoreRequest(method, url, headers, res)
  // uWS terminates the process if a handler returns without an abort handler; after this
  // callback the response is freed, so the abort is also what tells the sender to stop.
  res.onAborted(() => request.abortNow())
  // Core never reads a GET's body: no handler, so uWS drops it and an idle stream holds no buffer.
  if (hasBody(method))
    request.body = readBody(res, headers['content-length'], request.abort, options.maxBodyBytes ?? Infinity)
  return request
}

const noListeners: readonly (() => void)[] = Object.freeze([])

// A class rather than a literal with a getter: V8 keeps such a literal in dictionary mode, a
// hash table per request; here the getter lives on the prototype. It is its own abort state.
class UwsCoreRequest implements CoreRequest, UwsAbort {
  // uWS speaks HTTP/1.1 only and does not expose the request's version.
  readonly httpVersion = '1.1'
  body: CoreRequest['body'] = noBody
  aborted = false
  controller: AbortController | undefined = undefined
  listeners = noListeners as (() => void)[]

  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
    private readonly res: UwsRequestSide,
  ) {}

  /** The abort state `sendCoreResponse` reads: this request itself. */
  get abort(): UwsAbort {
    return this
  }

  // uWS's `onAborted`: the client left (or the response failed); uWS frees `res` after this.
  abortNow(): void {
    this.aborted = true
    this.controller?.abort(clientClosed())
    const { listeners } = this
    this.listeners = noListeners as (() => void)[]
    for (const listener of listeners) listener()
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController()
      if (this.aborted) this.controller.abort(clientClosed())
    }
    return this.controller.signal
  }

  // This uWS build closes with a FIN only; its own timeout would close a stuck response ~10 s on.
  drop(): void {
    if (!this.aborted) this.res.close()
  }

  onClose(listener: (reason: unknown) => void): void {
    if (this.aborted) listener(clientClosed())
    else addListener(this, () => listener(clientClosed()))
  }
}

// uWS drops body chunks that arrive while no `onData` handler is set, and core asks for the
// body only after an `await`; so reading starts now, bounded by `ceiling` until core asks.
function readBody(
  res: UwsRequestSide,
  contentLength: string | undefined,
  abort: UwsAbort,
  ceiling: number,
): CoreRequest['body'] {
  const chunks: Uint8Array[] = []
  let size = 0
  let limit = ceiling
  let over = Number(contentLength) > ceiling
  let complete = false
  let settle: { resolve: (body: Uint8Array) => void; reject: (error: unknown) => void } | undefined
  res.onData((chunk, isLast) => {
    if (over) return
    size += chunk.byteLength
    if (size > limit) {
      over = true
      chunks.length = 0
      settle?.reject(tooLarge(limit))
      return
    }
    // uWS detaches the ArrayBuffer when this callback returns: keep a copy.
    chunks.push(new Uint8Array(chunk.slice(0)))
    complete = isLast
    if (complete) settle?.resolve(concatBytes(chunks, size))
  })
  let memo: Promise<Uint8Array> | undefined
  return (maxBytes) =>
    (memo ??= new Promise((resolve, reject) => {
      limit = maxBytes
      if (over || Number(contentLength) > maxBytes || size > maxBytes) {
        over = true
        chunks.length = 0
        reject(tooLarge(maxBytes))
      } else if (complete) resolve(concatBytes(chunks, size))
      else if (abort.aborted) reject(clientClosed())
      else {
        settle = { resolve, reject }
        addListener(abort, () => reject(clientClosed()))
      }
    }))
}

const noBody = (): Promise<Uint8Array> => Promise.resolve(new Uint8Array(0))

function clientClosed(): WireError {
  return new WireError('CLIENT_CLOSED', 'The client went away')
}

function tooLarge(maxBytes: number): WireError {
  return new WireError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`, {
    details: { limit: maxBytes },
  })
}
