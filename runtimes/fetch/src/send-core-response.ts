import type { CoreResponse } from '@sluice/core/adapter'

/**
 * Converts core's response into a web-standard `Response`, which the runtime then sends. A
 * streamed body becomes a pull-based `ReadableStream`: core's iterator is pulled only when the
 * runtime reads (its socket took the last chunk), and cancelling the stream (the client left)
 * returns the iterator, so the function's signal aborts and its `finally` runs.
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
  return new Response(toReadableStream(body[Symbol.asyncIterator](), options), { status, headers })
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
 * A pull-based byte stream over core's encoded chunks; `cancel` tells core the client left, and
 * a drop errors the stream, so the runtime breaks the connection instead of ending the body.
 */
export function toReadableStream(
  chunks: AsyncIterator<string>,
  options: StreamOptions = {},
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        options.onDrop?.((reason) => controller.error(reason))
      },
      async pull(controller) {
        const next = await chunks.next()
        if (next.done === true) controller.close()
        else controller.enqueue(encoder.encode(next.value))
      },
      async cancel() {
        await chunks.return?.()
      },
    },
    { highWaterMark: STREAM_HIGH_WATER_MARK },
  )
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
