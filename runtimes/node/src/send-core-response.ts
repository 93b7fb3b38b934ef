import type { ServerResponse } from 'node:http'
import type { CoreResponse } from '@sluice/core/adapter'
import { queuedOn } from './to-core-request'

/**
 * Writes core's response to node:http. A streamed body is pulled one chunk at a time, and
 * not at all while `write` reports a full socket: the next pull waits for `drain`, so a
 * client that stops reading stops the function instead of growing server memory.
 */
export function sendCoreResponse(res: ServerResponse, response: CoreResponse): Promise<void> {
  try {
    return writeResponse(res, response) ?? done
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
    return Promise.reject(error)
  }
}

const done = Promise.resolve()

/**
 * `sendCoreResponse` for the node adapters: a body that is there already is written at once,
 * and only a stream returns a promise (no promise per JSON answer). Throws what node throws.
 */
export function writeResponse(res: ServerResponse, response: CoreResponse): Promise<void> | undefined {
  writeHead(res, response)
  const { body } = response
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body)
    return undefined
  }
  return new StreamWriter(res).run(body[Symbol.asyncIterator]())
}

// One stream's state in one object, its methods on the prototype (only `resume` is a callback of
// its own): an idle stream holds this, not a closure per piece of state.
class StreamWriter {
  private corked = false
  private wake: (() => void) | undefined

  constructor(private readonly res: ServerResponse) {}

  // One `drain` / `close` listener per response, not one per wait: compression() moves `drain`
  // listeners onto its zlib stream, where `res.off` cannot reach them, so they would pile up.
  private readonly resume = (): void => {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  async run(chunks: AsyncIterator<string>): Promise<void> {
    const { res } = this
    // Queued behind another response, this one is written to a buffer until its turn; if the
    // connection goes first, only the connection says so.
    const connection = queuedOn(res)
    res.on('drain', this.resume)
    res.on('close', this.resume)
    connection?.on('close', this.resume)
    let finished = false
    try {
      while (!res.destroyed && connection?.destroyed !== true) {
        const next = await chunks.next()
        if (next.done === true) {
          finished = true
          break
        }
        // Chunks taken within one tick (the opening line, a first event, `done` and the end of
        // a short stream) leave in one write: the socket is corked until the next tick.
        if (!this.corked) {
          this.corked = true
          res.cork()
          process.nextTick(uncork, this)
        }
        const writable = res.write(next.value)
        // compression() holds output in zlib until its buffer fills, so an event would wait for
        // the ones after it; its `res.flush()` sends it now. Plain node:http has no flush.
        ;(res as { flush?: () => void }).flush?.()
        if (!writable) await new Promise<void>((resolve) => (this.wake = resolve))
      }
    } finally {
      res.off('drain', this.resume)
      res.off('close', this.resume)
      connection?.off('close', this.resume)
      // The client left (or a write failed): tell core, so the function's `finally` runs.
      if (!finished) await chunks.return?.()
      if (!res.destroyed && connection?.destroyed !== true) res.end()
    }
  }

  uncork(): void {
    this.corked = false
    this.res.uncork()
  }
}

function uncork(writer: StreamWriter): void {
  writer.uncork()
}

// One writeHead with core's headers; node merges them with any set upstream (`cors()`,
// `helmet()`), except Vary, whose lists are joined so caches see both.
function writeHead(res: ServerResponse, { status, headers }: CoreResponse): void {
  const vary = headers['vary']
  const upstream = vary === undefined ? undefined : res.getHeader('vary')
  if (vary === undefined || upstream === undefined) res.writeHead(status, headers)
  else res.writeHead(status, { ...headers, vary: mergeVary(upstream, vary) })
}

/** Joins a `Vary` already set upstream with core's, so neither list is lost. */
export function mergeVary(upstream: number | string | string[] | undefined, ours: string | string[]): string {
  return [upstream ?? [], ours].flat().join(', ')
}
