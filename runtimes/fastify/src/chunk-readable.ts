import { Readable } from 'node:stream'
import type { ChunkSink, CoreStream } from '@sluice/core/adapter'

/**
 * A byte Readable core's stream pushes into: the first `_read` starts it (`pushTo`), and each
 * later one resumes it once `push` said the Readable holds enough. With a 1-byte high-water
 * mark a chunk waits only while Fastify's pipe is not taking, and the pipe stops taking while
 * the socket is full. Destroying it (Fastify does when the client leaves) calls the stream's
 * `return()`, so the function's `finally` runs.
 */
export class ChunkReadable extends Readable {
  #started = false
  #finished = false
  readonly #stream: CoreStream

  constructor(stream: CoreStream) {
    super({ highWaterMark: 1 })
    this.#stream = stream
  }

  override _read(): void {
    if (this.#started) return this.#stream.resume()
    this.#started = true
    // A sink of its own: `write` and `end` on the Readable would make it look writable.
    this.#stream.pushTo(new ReadableSink(this))
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#finished) return callback(error)
    this.#finished = true
    // Readable.from's order: the stream's `return()` settles before the Readable says it closed.
    this.#stream.return().then(
      () => callback(error),
      (failure: unknown) => callback(error ?? (failure as Error)),
    )
  }

  /** The stream ended: the Readable ends after what it holds. */
  finish(): void {
    this.#finished = true
    this.push(null)
  }
}

// Core's sink for one ChunkReadable: a chunk goes to `push`, whose answer is the backpressure.
class ReadableSink implements ChunkSink {
  constructor(private readonly readable: ChunkReadable) {}

  write(chunk: string): boolean {
    return this.readable.push(chunk)
  }

  end(): void {
    this.readable.finish()
  }
}
