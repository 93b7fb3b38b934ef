import { Readable } from 'node:stream'

/**
 * A byte Readable over core's stream chunks that pulls one chunk per `_read`: with its 1-byte
 * high-water mark the next chunk is taken only once Fastify's pipe has taken the last, and the
 * pipe stops taking while the socket is full. Destroying it (Fastify does when the client
 * leaves) calls the iterator's `return()`, so the function's `finally` runs.
 */
export class ChunkReadable extends Readable {
  // One pending `next()` at most: push() can make node call `_read` again while one is out.
  #pulling = false
  #finished = false
  // Bound once per stream, not a closure per chunk.
  readonly #onStep = (step: IteratorResult<string>): void => this.#take(step)
  readonly #onFailure = (error: unknown): void => {
    this.#finished = true
    this.destroy(error instanceof Error ? error : new Error(String(error)))
  }

  readonly #chunks: AsyncIterator<string>

  constructor(chunks: AsyncIterator<string>) {
    super({ highWaterMark: 1 })
    this.#chunks = chunks
  }

  override _read(): void {
    if (this.#pulling) return
    this.#pulling = true
    this.#chunks.next().then(this.#onStep, this.#onFailure)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#finished) return callback(error)
    this.#finished = true
    // Readable.from's order: the iterator's `return()` settles before the stream says it closed.
    Promise.resolve(this.#chunks.return?.()).then(
      () => callback(error),
      (failure: unknown) => callback(error ?? (failure as Error)),
    )
  }

  #take(step: IteratorResult<string>): void {
    this.#pulling = false
    if (this.destroyed) return
    if (step.done === true) {
      this.#finished = true
      this.push(null)
    } else if (this.push(step.value)) {
      this._read()
    }
  }
}
