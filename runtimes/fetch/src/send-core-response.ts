import type { ChunkSink, CoreResponse, CoreStream } from '@sluice/core/adapter'

/**
 * Converts core's response into a web-standard `Response`, which the runtime then sends. A
 * streamed body becomes a `ReadableStream` core pushes into only while the runtime reads (its
 * socket took the last chunk), and cancelling it (the client left) returns core's stream, so
 * the function's signal aborts and its `finally` runs.
 */
export function sendCoreResponse(
  response: CoreResponse,
  method: string,
  options: StreamOptions = {},
): Response {
  const { status, body } = response
  const headers = toHeaders(response.headers)
  // HEAD, 204 and 304 carry no body; `new Response` refuses one for the latter two.
  if (method === 'HEAD' || status === 204 || status === 304 || body === undefined) {
    return new Response(null, { status, headers })
  }
  if (typeof body === 'string' || body instanceof Uint8Array) return new Response(body, { status, headers })
  return new Response(toReadableStream(body, options), { status, headers })
}

/** How a stream body learns that core dropped its connection (a slow consumer). */
export interface StreamOptions {
  /** Registers the function that errors the stream; `FetchCoreRequest.onDrop` fits. */
  onDrop?: (drop: (reason: Error) => void) => void
}

/**
 * The queue holds nothing ahead of the reader (`highWaterMark: 0`): `pull` runs only while the
 * runtime waits for bytes, the same one-chunk-in-flight rule as node's `write()`/`drain`. Core
 * batches events produced while the runtime was writing, so this costs no throughput.
 */
export const STREAM_HIGH_WATER_MARK = 0

const encoder = new TextEncoder()

/**
 * A byte stream over core's encoded chunks: core pushes a chunk, then waits for the runtime's
 * next read (`pull`); `cancel` tells core the client left, and a drop errors the stream, so the
 * runtime breaks the connection instead of ending the body.
 */
export function toReadableStream(
  stream: CoreStream,
  options: StreamOptions = {},
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        options.onDrop?.((reason) => controller.error(reason))
        stream.pushTo(new ControllerSink(controller))
      },
      pull() {
        stream.resume()
      },
      async cancel() {
        await stream.return()
      },
    },
    { highWaterMark: STREAM_HIGH_WATER_MARK },
  )
}

// With no room ahead of the reader, every write reports the stream full: the next read resumes it.
class ControllerSink implements ChunkSink {
  constructor(private readonly controller: ReadableStreamDefaultController<Uint8Array>) {}

  write(chunk: string): boolean {
    this.controller.enqueue(encoder.encode(chunk))
    return (this.controller.desiredSize ?? 0) > 0
  }

  end(): void {
    // A stream core dropped (a slow consumer) was errored first: it stays errored, not closed.
    try {
      this.controller.close()
    } catch {
      // already errored
    }
  }
}

// Arrays become one header line per value (Set-Cookie); `Headers` keeps those apart.
function toHeaders(source: CoreResponse['headers']): Headers {
  const headers = new Headers()
  for (const name in source) {
    const value = source[name] as string | string[]
    if (typeof value === 'string') headers.set(name, value)
    else for (const item of value) headers.append(name, item)
  }
  return headers
}
