import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { ChunkSink, CoreResponse, CoreStream } from '@sluice/core/adapter'
import { queuedOn } from './to-core-request'

/**
 * Writes core's response to node:http. A stream pushes its chunks while `write` takes them,
 * and waits for `drain` once `write` reports a full socket, so a client that stops reading
 * stops the function instead of growing server memory. Resolves once the headers went out.
 */
export function sendCoreResponse(res: ServerResponse, response: CoreResponse): Promise<void> {
  try {
    if (!isStream(response.body)) {
      writeResponse(res, response, rethrow)
      return done
    }
    const body = response.body
    return new Promise((resolve, reject) =>
      new StreamWriter(res, response, body, (_res, error) => reject(toError(error)), resolve).start(),
    )
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
    return Promise.reject(error)
  }
}

const done = Promise.resolve()

/** What a stream's writer calls when node refuses its headers (the stream is ended). */
export type WriteFailed = (res: ServerResponse, error: unknown) => void

/**
 * `sendCoreResponse` for the node adapters, without a promise: a body that is there already is
 * written at once (throwing what node throws); a stream reports a failure to `failed`.
 */
export function writeResponse(res: ServerResponse, response: CoreResponse, failed: WriteFailed): void {
  const { body } = response
  if (isStream(body)) return new StreamWriter(res, response, body, failed).start()
  writeHead(res, response)
  res.end(body)
}

function isStream(body: CoreResponse['body']): body is CoreStream {
  return typeof body === 'object' && !(body instanceof Uint8Array)
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

// Only a stream reports a failure later; a body that is there already throws it at once.
function rethrow(_res: ServerResponse, error: unknown): never {
  throw error
}

// A stream's chunks of its first tick wait here, up to this many characters, before the head.
const FIRST_TICK_CHARS = 64 * 1024

/**
 * One stream's writer: core's `ChunkSink`, and its state in one object (an idle stream holds it
 * and two callbacks). The head waits for the end of the tick that opened the stream: a stream
 * that has ended by then (one event, an early error) goes out as node writes a plain answer, with
 * its length and in one write; one still running goes out chunked, its first chunks with the head.
 */
class StreamWriter implements ChunkSink {
  private pending = ''
  private headed = false
  private corked = false
  // The stream ended (`end`) or the client left: nothing more comes from core.
  private over = false
  private readonly connection: Socket | undefined

  constructor(
    private readonly res: ServerResponse,
    // Dropped once the head is written: an idle stream need not hold its headers.
    private response: CoreResponse | undefined,
    private readonly stream: CoreStream,
    private readonly failed: WriteFailed,
    // Told once the head went out, or the client left before it could.
    private readonly settled?: () => void,
  ) {
    // Queued behind another response, this one is written to a buffer until its turn; if the
    // connection goes first, only the connection says so.
    this.connection = queuedOn(res)
  }

  private readonly resume = (): void => this.stream.resume()

  // One `drain` / `close` listener per response, not one per wait: compression() moves `drain`
  // listeners onto its zlib stream, where `res.off` cannot reach them, so they would pile up.
  private readonly closed = (): void => {
    if (this.over) return
    this.over = true
    this.detach()
    // The client left (or a write failed): tell core, so the function's `finally` runs.
    void this.stream.return()
  }

  start(): void {
    // A client that left while core prepared the stream: its function is returned at once.
    if (this.gone()) {
      this.closed()
      return this.settled?.()
    }
    process.nextTick(writeHeadLater, this)
    this.stream.pushTo(this)
  }

  write(chunk: string): boolean {
    if (!this.headed) {
      this.pending += chunk
      return this.pending.length < FIRST_TICK_CHARS
    }
    return this.send(chunk)
  }

  end(): void {
    this.over = true
    // Before the head, the head ends the response itself.
    if (!this.headed) return
    this.detach()
    if (!this.gone()) this.res.end()
  }

  /** The end of the opening tick: the head, with what the stream wrote so far. */
  head(): void {
    this.headed = true
    const { res, pending, response } = this
    this.pending = ''
    this.response = undefined
    if (response === undefined) return
    if (this.gone()) {
      this.closed()
      return this.settled?.()
    }
    try {
      if (this.over) {
        writeHead(res, response, Buffer.byteLength(pending))
        res.end(pending)
      } else {
        // Listened to from here: before, the head itself sees a client that left.
        res.on('drain', this.resume)
        res.on('close', this.closed)
        this.connection?.on('close', this.closed)
        writeHead(res, response)
        // An empty write sends the head on its own (with the chunk, corked): node then writes its
        // header string as it is, which flattens it, where a first chunk appended to it would
        // leave the head as a tree of 20–30 concatenated strings for the stream's lifetime.
        this.send('')
        if (pending !== '' && this.send(pending)) this.stream.resume()
      }
    } catch (error) {
      this.closed()
      return this.failed(res, error)
    }
    this.settled?.()
  }

  // Chunks written within one tick (a batch, `done` and the end) leave in one write: the socket
  // is corked until the next tick.
  private send(chunk: string): boolean {
    const { res } = this
    if (!this.corked) {
      this.corked = true
      res.cork()
      process.nextTick(uncork, this)
    }
    const writable = res.write(chunk)
    // compression() holds output in zlib until its buffer fills, so an event would wait for the
    // ones after it; its `res.flush()` sends it now. Plain node:http has no flush.
    ;(res as { flush?: () => void }).flush?.()
    return writable
  }

  uncork(): void {
    this.corked = false
    this.res.uncork()
  }

  private gone(): boolean {
    return this.res.destroyed || this.connection?.destroyed === true
  }

  private detach(): void {
    this.res.off('drain', this.resume)
    this.res.off('close', this.closed)
    this.connection?.off('close', this.closed)
  }
}

function writeHeadLater(writer: StreamWriter): void {
  writer.head()
}

function uncork(writer: StreamWriter): void {
  writer.uncork()
}

// One writeHead with core's headers; node merges them with any set upstream (`cors()`,
// `helmet()`), except Vary, whose lists are joined so caches see both.
function writeHead(res: ServerResponse, { status, headers }: CoreResponse, length?: number): void {
  const vary = headers['vary']
  const upstream = vary === undefined ? undefined : res.getHeader('vary')
  // Core's record is this response's own: the length is added to it, not to a copy.
  if (length !== undefined) headers['content-length'] = String(length)
  if (vary === undefined || upstream === undefined) res.writeHead(status, headers)
  else res.writeHead(status, { ...headers, vary: mergeVary(upstream, vary) })
}

/** Joins a `Vary` already set upstream with core's, so neither list is lost. */
export function mergeVary(upstream: number | string | string[] | undefined, ours: string | string[]): string {
  return [upstream ?? [], ours].flat().join(', ')
}
