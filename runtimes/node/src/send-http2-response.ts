import type { Http2ServerResponse, ServerHttp2Stream } from 'node:http2'
import type { CoreResponse } from '@sluice/core/adapter'

/**
 * Writes core's response to an HTTP/2 stream. A streamed body is pulled one chunk at a time
 * and not at all while `write` reports the stream full (h2 flow control or the local buffer):
 * the next pull waits for `drain`, so a client that stops reading stops the function.
 */
export async function sendHttp2Response(res: Http2ServerResponse, response: CoreResponse): Promise<void> {
  // Core sends no connection-specific header on HTTP/2 (RFC 9113 §8.2.2); node refuses them.
  res.writeHead(response.status, response.headers)
  const { body } = response
  if (body === undefined) {
    res.end()
    return
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body)
    return
  }
  await new Http2Writer(res.stream).run(res, body[Symbol.asyncIterator]())
}

// node's compatibility response has no `destroyed`: the stream's own state is the truth. It is
// `closed` from the moment a peer resets it, before `destroyed`.
class Http2Writer {
  private corked = false
  private wake: (() => void) | undefined

  constructor(private readonly stream: ServerHttp2Stream) {}

  private readonly resume = (): void => {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  async run(res: Http2ServerResponse, chunks: AsyncIterator<string>): Promise<void> {
    const { stream } = this
    stream.on('drain', this.resume)
    stream.on('close', this.resume)
    let finished = false
    try {
      while (!isClosed(stream)) {
        const next = await chunks.next()
        if (next.done === true) {
          finished = true
          break
        }
        // Chunks taken within one tick leave in one DATA frame: the stream is corked until the next.
        if (!this.corked) {
          this.corked = true
          stream.cork()
          process.nextTick(uncork, this)
        }
        // A write to a stream the peer just reset also answers false, and no `drain` follows.
        if (!res.write(next.value) && !isClosed(stream))
          await new Promise<void>((resolve) => (this.wake = resolve))
      }
    } finally {
      stream.off('drain', this.resume)
      stream.off('close', this.resume)
      // The client left (RST_STREAM, a lost connection) or a write failed: the function's `finally` runs.
      if (!finished) await chunks.return?.()
      if (!isClosed(stream)) res.end()
    }
  }

  uncork(): void {
    this.corked = false
    if (!this.stream.destroyed) this.stream.uncork()
  }
}

function uncork(writer: Http2Writer): void {
  writer.uncork()
}

// A call, not a property read: TypeScript would keep `closed` narrowed across the awaits.
function isClosed(stream: ServerHttp2Stream): boolean {
  return stream.closed
}
