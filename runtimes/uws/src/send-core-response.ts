import type { ChunkSink, CoreRequest, CoreResponse, CoreStream } from '@sluice/core/adapter'
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
 * touches `res` once uWS aborted it or it ended, and a stream pushes only while `write`
 * reports no backpressure; `onWritable` resumes it. Chunks of one tick (the opening line, a
 * first event, `done`) go out in one write, the last ones with the end.
 */
export function sendCoreResponse(
  res: UwsResponse,
  response: CoreResponse,
  request: CoreRequest,
): Promise<void> {
  try {
    writeResponse(res, response, request)
    return done
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
    return Promise.reject(error)
  }
}

const done = Promise.resolve()

/** `sendCoreResponse` for `createUwsHandler`, without a promise: throws what uWS throws. */
export function writeResponse(res: UwsResponse, response: CoreResponse, request: CoreRequest): void {
  const { body } = response
  // uWS frees `res` once it reports an abort. `toCoreRequest` keeps that report without an
  // AbortSignal; another CoreRequest has its signal.
  const abort = abortOf(request)
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    if (abort === undefined ? request.signal.aborted : abort.aborted) return
    return corkedEnd(res, response, request.method, body)
  }
  new StreamWriter(res, response, body, abort, request).start()
}

// Past this many characters taken in one tick, the chunk is written at once.
const FLUSH_CHARS = 16 * 1024

// One stream's writer, core's `ChunkSink`, its state in one object: an idle stream holds it and
// two callbacks, not a closure per piece of state.
class StreamWriter implements ChunkSink {
  private started = false
  // `res` ended, or uWS aborted it: nothing touches it again.
  private ended = false
  // Core ended the stream: `res` ends once what waits is written.
  private finishing = false
  private blocked = false
  private pending = ''
  private scheduled = false

  constructor(
    private readonly res: UwsResponse,
    private readonly response: CoreResponse,
    private readonly stream: CoreStream,
    private readonly abort: UwsAbort | undefined,
    private readonly request: CoreRequest,
  ) {}

  start(): void {
    const { abort } = this
    if (abort === undefined) this.request.signal.addEventListener('abort', this.aborted, { once: true })
    else addListener(abort, this.aborted)
    // A client that left while core was preparing (authenticate, the first step) freed `res`:
    // touching it throws. Its stream is still returned, so its function ends.
    if (this.gone()) return this.aborted()
    this.res.onWritable(this.writable)
    this.stream.pushTo(this)
  }

  write(chunk: string): boolean {
    if (this.ended) return false
    this.pending += chunk
    if (this.pending.length >= FLUSH_CHARS) this.flush()
    else if (!this.scheduled) {
      this.scheduled = true
      process.nextTick(flushLater, this)
    }
    return !this.blocked
  }

  end(): void {
    this.finishing = true
    if (!this.blocked) this.finish()
  }

  /** The flush `process.nextTick` runs (through `flushLater`, so no callback per stream). */
  flushScheduled(): void {
    this.scheduled = false
    this.flush()
  }

  // uWS freed `res`: the stream is told, and nothing is written again.
  private readonly aborted = (): void => {
    if (this.ended) return
    this.ended = true
    this.unlisten()
    void this.stream.return()
  }

  private readonly writable = (): boolean => {
    // This uWS build does not flush its own buffer once a handler is set; an empty cork does.
    if (!this.ended && !this.gone()) this.res.cork(noop)
    this.blocked = false
    const open = this.flush()
    if (this.finishing) this.finish()
    else if (open) this.stream.resume()
    return true
  }

  // Writes what waits; whether uWS takes more.
  private flush(): boolean {
    if (this.pending === '' || this.blocked || this.ended || this.gone()) return !this.blocked
    const chunk = this.pending
    this.pending = ''
    this.blocked = !corked(this.res, () => {
      this.head()
      return this.res.write(chunk)
    })
    return !this.blocked
  }

  // The end, with what waits: a stream that ended in its first tick is one plain answer.
  private finish(): void {
    if (this.ended || this.gone()) return
    this.ended = true
    this.unlisten()
    this.res.cork(() => {
      this.head()
      this.res.end(this.pending, this.response.headers['connection'] === 'close')
    })
  }

  private head(): void {
    if (!this.started) writeHead(this.res, this.response, false)
    this.started = true
  }

  private gone(): boolean {
    return this.abort === undefined ? this.request.signal.aborted : this.abort.aborted
  }

  private unlisten(): void {
    const { abort } = this
    if (abort === undefined) this.request.signal.removeEventListener('abort', this.aborted)
    else abort.listeners = abort.listeners.filter((listener) => listener !== this.aborted)
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
