import type { CoreRequest, CoreResponse } from '@sluice/core/adapter'
import { abortOf, addListener, type UwsAbort, type UwsRequestSide } from './to-core-request'

/** The uWS `HttpResponse` methods sluice uses. */
export interface UwsResponse extends UwsRequestSide {
  cork(callback: () => void): unknown
  writeStatus(status: string): unknown
  writeHeader(name: string, value: string): unknown
  write(chunk: string): boolean
  end(body?: string | Uint8Array, closeConnection?: boolean): unknown
  // Only ever called bare: with a reported length this uWS build never finishes the response.
  endWithoutBody(): unknown
  onWritable(handler: (offset: number) => boolean): unknown
}

/**
 * Writes core's response to uWS. Every write is corked (it runs after an `await`), nothing
 * touches `res` once uWS aborted it or it ended, and a stream is pulled only while `write`
 * reports no backpressure; `onWritable` resumes the pulls. Chunks taken within one tick (the
 * opening line, a first event, `done`) go out in one write, the last ones with the end.
 */
export function sendCoreResponse(
  res: UwsResponse,
  response: CoreResponse,
  request: CoreRequest,
): Promise<void> {
  try {
    return writeResponse(res, response, request) ?? done
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
    return Promise.reject(error)
  }
}

const done = Promise.resolve()

/**
 * `sendCoreResponse` for `createUwsHandler`: a body that is there already is written at once,
 * and only a stream returns a promise (no promise per JSON answer).
 */
export function writeResponse(
  res: UwsResponse,
  response: CoreResponse,
  request: CoreRequest,
): Promise<void> | undefined {
  const { body } = response
  // uWS frees `res` once it reports an abort. `toCoreRequest` keeps that report without an
  // AbortSignal; another CoreRequest has its signal.
  const abort = abortOf(request)
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    if (abort === undefined ? request.signal.aborted : abort.aborted) return undefined
    corkedEnd(res, response, request.method, body)
    return undefined
  }
  const gone = abort === undefined ? () => request.signal.aborted : () => abort.aborted
  return new StreamWriter(res, response, gone).run(body[Symbol.asyncIterator](), abort, request)
}

// Past this many characters taken in one tick, the chunk is written at once.
const FLUSH_CHARS = 16 * 1024

// One stream's state in one object: an idle stream holds it and three callbacks, not a closure
// per piece of state.
class StreamWriter {
  private started = false
  private ended = false
  private blocked = false
  private pending = ''
  private scheduled = false
  private wake: (() => void) | undefined

  constructor(
    private readonly res: UwsResponse,
    private readonly response: CoreResponse,
    private readonly gone: () => boolean,
  ) {}

  /** Wakes a pull waiting for `onWritable` (or for the abort). */
  readonly resume = (): void => {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  /** The flush `process.nextTick` runs (through `flushLater`, so no callback per stream). */
  flushScheduled(): void {
    this.scheduled = false
    this.flush()
  }

  private readonly writable = (): boolean => {
    // This uWS build does not flush its own buffer once a handler is set; an empty cork does.
    if (!this.ended && !this.gone()) this.res.cork(noop)
    this.blocked = false
    this.flush()
    this.resume()
    return true
  }

  async run(chunks: AsyncIterator<string>, abort: UwsAbort | undefined, request: CoreRequest): Promise<void> {
    if (abort === undefined) request.signal.addEventListener('abort', this.resume, { once: true })
    else addListener(abort, this.resume)
    try {
      // A client that left while core was preparing (authenticate, the first step) freed `res`:
      // touching it throws. The `finally` still returns the stream, so its function ends.
      if (!this.gone()) this.res.onWritable(this.writable)
      while (!this.gone()) {
        if (this.blocked) {
          await new Promise<void>((resolve) => (this.wake = resolve))
          continue
        }
        const next = await chunks.next()
        if (this.gone()) break
        if (next.done === true) {
          this.ended = true
          this.res.cork(() => this.end())
          return
        }
        this.pending += next.value
        if (this.pending.length >= FLUSH_CHARS) this.flush()
        else if (!this.scheduled) {
          this.scheduled = true
          process.nextTick(flushLater, this)
        }
      }
    } finally {
      // The client left or a pull failed: tell core, so the function's `finally` runs. A failed
      // pull drops the connection, so the client sees a broken stream rather than an end.
      if (abort === undefined) request.signal.removeEventListener('abort', this.resume)
      else abort.listeners = abort.listeners.filter((listener) => listener !== this.resume)
      if (!this.ended) await chunks.return?.()
      if (!this.ended && !this.gone()) this.res.close()
    }
  }

  private flush(): void {
    if (this.pending === '' || this.blocked || this.ended || this.gone()) return
    const chunk = this.pending
    this.pending = ''
    this.blocked = !corked(this.res, () => {
      this.head()
      return this.res.write(chunk)
    })
  }

  private end(): void {
    this.head()
    this.res.end(this.pending, this.response.headers['connection'] === 'close')
  }

  private head(): void {
    if (!this.started) writeHead(this.res, this.response, false)
    this.started = true
  }
}

function flushLater(writer: StreamWriter): void {
  writer.flushScheduled()
}

// What the corked end writes. cork() runs its callback at once, so one module-level slot
// passes it on without a closure per response.
const ending: {
  res?: UwsResponse
  response?: CoreResponse
  method: string
  body: string | Uint8Array | undefined
} = { method: '', body: undefined }

function corkedEnd(
  res: UwsResponse,
  response: CoreResponse,
  method: string,
  body: string | Uint8Array | undefined,
): void {
  ending.res = res
  ending.response = response
  ending.method = method
  ending.body = body
  try {
    res.cork(endPending)
  } finally {
    ending.res = ending.response = ending.body = undefined
  }
}

function endPending(): void {
  const { res, response, method, body } = ending
  if (res !== undefined && response !== undefined) endWith(res, response, method, body)
}

function endWith(
  res: UwsResponse,
  response: CoreResponse,
  method: string,
  body: string | Uint8Array | undefined,
): void {
  // HEAD, 204 and 304 carry no body; uWS's end() would add `Content-Length: 0` to them.
  const bodiless = method === 'HEAD' || response.status === 204 || response.status === 304
  writeHead(res, response, bodiless)
  if (bodiless) res.endWithoutBody()
  else res.end(body ?? '', response.headers['connection'] === 'close')
}

// uWS's end() writes `Content-Length` itself, and `Connection: close` when asked to close:
// core's own would be duplicates. endWithoutBody() writes neither, so they go verbatim there.
function writeHead(res: UwsResponse, { status, headers }: CoreResponse, verbatim: boolean): void {
  res.writeStatus(STATUS_LINES[status] ?? `${status} Unknown`)
  for (const name in headers) {
    const value = headers[name] as string | string[]
    if (!verbatim && (name === 'content-length' || (name === 'connection' && value === 'close'))) continue
    if (typeof value === 'string') res.writeHeader(name, value)
    else for (const item of value) res.writeHeader(name, item)
  }
}

const noop = (): void => undefined

// uWS's cork() returns the response, not what the callback returned.
function corked<T>(res: UwsResponse, callback: () => T): T {
  let result: T | undefined
  res.cork(() => (result = callback()))
  return result as T
}

// uWS wants the whole status line text ('200 OK'); the reason phrase is informational.
const REASONS: Partial<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

// Each known status line made once, not per response.
const STATUS_LINES: Partial<Record<number, string>> = Object.fromEntries(
  Object.entries(REASONS).map(([status, reason]) => [status, `${status} ${reason}`]),
)
