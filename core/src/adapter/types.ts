/**
 * The neutral request a runtime hands to core. Built by each adapter's `toCoreRequest`.
 */
export interface CoreRequest {
  /** Uppercase method. */
  method: string
  /** Path and query exactly as on the request line, e.g. `/count?to=3`. */
  url: string
  /** Lowercase names; repeated headers joined with `, ` (Set-Cookie never arrives here). */
  headers: Readonly<Record<string, string | undefined>>
  /**
   * `1.0`, `1.1` or `2.0`. Core sets no `Connection` header from it: the runtime keeps the
   * connection or closes it after the response, as the client asked (RFC 9112 §9.6).
   */
  httpVersion: string
  /**
   * Reads the whole body, at most `maxBytes` of it: lazy (only called for methods with a
   * body) and memoised. Rejects with `WireError('PAYLOAD_TOO_LARGE')` past the limit.
   */
  body(maxBytes: number): Promise<Uint8Array>
  /**
   * A body the framework already parsed as JSON (`express.json()`, Fastify's parser). Core
   * then skips `body()` but still checks the content type and refuses prototype keys.
   */
  parsedBody?: { value: unknown }
  /** Aborts when the client goes away. */
  signal: AbortSignal
  /**
   * Optional, for runtimes with a close event of their own: calls `listener` once when the
   * client goes away (at once if it already has), with the reason `signal` would carry. Core
   * uses it instead of `signal` where it can, so a stream holds one AbortController (its
   * `ctx.signal`), not two: each costs about 0.8 KiB per idle stream on Node 20.
   */
  onClose?(listener: (reason: unknown) => void): void
  /**
   * Optional: drops the connection at once, without a clean end of the response (a TCP reset
   * where the runtime can send one). Core calls it when a stream's client has not read for
   * `slowConsumerMs`, so the connection and the kernel's buffer for it are freed, not held
   * until the client reads again.
   */
  drop?(): void
}

/**
 * A response body: nothing, a string, bytes, or a stream of already-encoded SSE chunks. The
 * adapter takes a stream's chunks only while its socket can take more, and calls `return()`
 * when the client leaves, so core never buffers for a client that does not read.
 */
export type CoreBody = undefined | string | Uint8Array | CoreStream

/**
 * Where a stream pushes its chunks (`CoreStream.pushTo`): the runtime's response.
 */
export interface ChunkSink {
  /** Writes one chunk; `false` when the runtime holds enough: no more comes until `resume()`. */
  write(chunk: string): boolean
  /** The stream ended and its last chunk was written: end the response. Never after `return()`. */
  end(): void
}

/**
 * A streamed body. An adapter either has it push into a sink (`pushTo`: no promise per chunk
 * and no suspended loop per idle stream) or reads it as an async iterable, never both; either
 * way it calls `return()` when the client leaves, before or after the first chunk.
 */
export interface CoreStream extends AsyncIterableIterator<string> {
  /** Starts the stream: `sink.write` gets the opening chunk at once, then each batch. */
  pushTo(sink: ChunkSink): void
  /** The sink can take more again (node's `drain`, uWS's `onWritable`, a web stream's `pull`). */
  resume(): void
  /** The client left: the stream ends without writing again, and its function is returned. */
  return(): Promise<IteratorResult<string>>
}

/** The neutral response core hands back to a runtime's `sendCoreResponse`. */
export interface CoreResponse {
  status: number
  /** Lowercase names; an array sends one header line per value (Set-Cookie). */
  headers: Record<string, string | string[]>
  body: CoreBody
}

/** Core's whole request handler, as an adapter sees it. */
export type CoreHandler = (request: CoreRequest) => Promise<CoreResponse>

/** A handler that resolves `undefined` for a request no route matches, so the framework goes on. */
export type PassingHandler = (request: CoreRequest) => Promise<CoreResponse | undefined>
