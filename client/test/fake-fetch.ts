// A scripted `fetch` for the runtime's unit tests: each call takes the next reply in order.

/** One scripted answer: a Response, an Error to throw, or a function of the request. */
export type Reply = Response | Error | ((request: Request) => Response | Promise<Response>)

/** What one call of the fake sent. */
export interface Sent {
  request: Request
  signal: AbortSignal | undefined
}

/** A fetch that answers from `replies` and records every request (with the signal it was given). */
export function createFakeFetch(replies: Reply[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = []
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    sent.push({ request, signal: init?.signal ?? undefined })
    // As the real fetch does: an aborted signal rejects at once.
    request.signal.throwIfAborted()
    const reply = replies.shift()
    if (reply === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`)
    if (reply instanceof Error) throw reply
    return typeof reply === 'function' ? reply(request) : reply
  }
  return { fetch: fake, sent }
}

const encoder = new TextEncoder()

/** A `text/event-stream` answer with the given body; `fail` errors the body after it (a dropped connection). */
export function sseResponse(body: string, options: { fail?: boolean } = {}): Response {
  let sent = false
  // Pulled chunk by chunk: an error in `start` would drop the queued body before anyone read it.
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true
        controller.enqueue(encoder.encode(body))
      } else if (options.fail === true) controller.error(new TypeError('terminated'))
      else controller.close()
    },
  })
  return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } })
}

/** A stream answer that sends `body` and then stays open until the request's signal aborts. */
export function openSseResponse(body: string, signal: AbortSignal | null): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(body))
      signal?.addEventListener('abort', () => controller.error(signal.reason), { once: true })
    },
  })
  return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
}

/** A JSON answer. */
export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

/** `retry` options that never wait: they record each delay asked for and pin the jitter. */
export function recordedRetry(random = 0.5): {
  waits: number[]
  retry: { random: () => number; wait: (ms: number) => Promise<void> }
} {
  const waits: number[] = []
  return {
    waits,
    retry: {
      random: () => random,
      wait: (ms) => {
        waits.push(ms)
        return Promise.resolve()
      },
    },
  }
}

/** A stream answer the test writes to as it goes; it errors when the request's signal aborts. */
export interface PushedResponse {
  response: Response
  /** Sends more of the body. */
  push(text: string): void
  /** Ends the body, as a server closing the stream does. */
  end(): void
}

/** A `text/event-stream` answer, with extra response headers (`sluice-heartbeat-ms`), written by the test. */
export function pushedSseResponse(
  signal: AbortSignal | null,
  headers: Record<string, string> = {},
): PushedResponse {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  const stream = new ReadableStream<Uint8Array>({
    start(started) {
      controller = started
      signal?.addEventListener('abort', () => started.error(signal.reason), { once: true })
    },
  })
  return {
    response: new Response(stream, { headers: { 'content-type': 'text/event-stream', ...headers } }),
    push: (text) => controller?.enqueue(encoder.encode(text)),
    end: () => controller?.close(),
  }
}
