import type { ReadableStreamDefaultController, UnderlyingSource } from 'node:stream/web'
import type { Message } from '../hub'
import { bunServe } from './bun-serve'
import { floodCount, frame, JSON_BODY, type StartServer } from './types'

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }
const encoder = new TextEncoder()
const OPEN = encoder.encode(': open\n\n')

type Controller = ReadableStreamDefaultController<Uint8Array>

/**
 * The raw Bun baseline: `Bun.serve` by hand, `Response.json` for JSON, and SSE as a
 * `ReadableStream` the handler fills (`pull` while the stream wants more, for backpressure).
 */
export const rawBun: StartServer = (port) => {
  const subscribers = new Set<Controller>()
  // Queued bytes up to 16 KiB, as node's writable streams: `pull` stops when the socket is full.
  const stream = (source: UnderlyingSource<Uint8Array>): Response =>
    new Response(new ReadableStream(source, new ByteLengthQueuingStrategy({ highWaterMark: 16_384 })), {
      headers: SSE_HEADERS,
    })
  const close = bunServe(port, (request) => {
    const url = request.url
    const path = new URL(url).pathname
    if (path === '/json') return Response.json(JSON_BODY)
    if (path === '/one') {
      return stream({
        start: (c) => {
          c.enqueue(encoder.encode(frame({ i: 1 })))
          c.close()
        },
      })
    }
    if (path === '/flood') return stream(flood(floodCount(url)))
    if (path === '/sub') {
      return stream({
        start: (c) => {
          c.enqueue(OPEN)
          subscribers.add(c)
          request.signal.addEventListener('abort', () => subscribers.delete(c), { once: true })
        },
      })
    }
    if (path === '/idle') return stream({ start: (c) => c.enqueue(OPEN) })
    return new Response(null, { status: 404 })
  })
  return Promise.resolve({
    // Encoded once; a subscriber that reads slowly queues in its stream.
    publish: (message: Message) => {
      const chunk = encoder.encode(frame(message))
      for (const c of subscribers) c.enqueue(chunk)
    },
    subscribers: () => subscribers.size,
    close,
  })
}

function flood(n: number): UnderlyingSource<Uint8Array> {
  let i = 0
  return {
    pull: (c) => {
      while (i < n && (c.desiredSize ?? 0) > 0) c.enqueue(encoder.encode(frame({ i: ++i })))
      if (i === n) c.close()
    },
  }
}
