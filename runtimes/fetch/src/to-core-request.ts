import { concatBytes, WireError, type CoreRequest } from '@sluice/core/adapter'

/**
 * Converts a web-standard `Request` into core's neutral request. The body is read only when
 * core asks, as a stream counted against the limit core passes; the signal is the request's own.
 */
export function toCoreRequest(request: Request): FetchCoreRequest {
  return new FetchRequest(request)
}

/** Core's request on a fetch runtime: `drop()` errors the response's body, whose stream registers with `onDrop`. */
export interface FetchCoreRequest extends CoreRequest {
  drop(): void
  /** Called once by `drop()` (at once if it already was): the stream body errors itself. */
  onDrop(listener: (reason: Error) => void): void
}

// A class rather than a literal: `body` and the getter live on the prototype.
class FetchRequest implements FetchCoreRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string | undefined>
  // The fetch API does not expose the request's HTTP version; every runtime here speaks 1.1 to
  // its clients (or takes care of HTTP/2 framing itself, where `Connection` is dropped).
  readonly httpVersion = '1.1'
  private read: Promise<Uint8Array> | undefined
  private dropped: Error | undefined
  private dropper: ((reason: Error) => void) | undefined

  constructor(private readonly request: Request) {
    this.method = request.method.toUpperCase()
    const url = new URL(request.url)
    this.url = url.pathname + url.search
    // Headers already iterates lowercase names with repeats joined by ', '.
    const headers: Record<string, string | undefined> = Object.create(null) as Record<string, string>
    request.headers.forEach((value, name) => (headers[name] = value))
    this.headers = headers
  }

  body(maxBytes: number): Promise<Uint8Array> {
    return (this.read ??= readBody(this.request, maxBytes))
  }

  // Aborts when the client goes away, on runtimes that report it (Bun, Deno, srvx on Node;
  // workerd only with the `enable_request_signal` compatibility flag). A stream also learns it
  // from its body's `cancel`, which every runtime calls.
  get signal(): AbortSignal {
    return this.request.signal
  }

  // The fetch API has no socket to reset: an errored body is how a handler breaks a response.
  // Every runtime then closes the connection without the body's clean end (see fetch.md).
  drop(): void {
    this.dropped ??= new Error('sluice: the client did not read the stream for slowConsumerMs')
    this.dropper?.(this.dropped)
  }

  onDrop(listener: (reason: Error) => void): void {
    this.dropper = listener
    if (this.dropped !== undefined) listener(this.dropped)
  }
}

/**
 * Reads a request body into one buffer, refusing (413) past `maxBytes`: a larger
 * `Content-Length` is refused unread, and a chunked body is counted as it arrives and
 * cancelled at the first byte past the limit, so no more than the limit is ever kept.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'))
  if (declared > maxBytes) throw tooLarge(maxBytes)
  if (request.body === null) return new Uint8Array(0)
  // Node's types leave the chunk type open; the fetch standard says bytes.
  const reader = (request.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      // Settles in the background: the client may have stopped sending, and the 413 goes now.
      reader.cancel().catch(() => undefined)
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  return concatBytes(chunks, size)
}

function tooLarge(maxBytes: number): WireError {
  return new WireError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`, {
    details: { limit: maxBytes },
  })
}
