import type { ServerResponse } from 'node:http'
import type { CoreResponse } from '@sluice/core/adapter'

/**
 * Writes core's response to node:http. A streamed body is pulled one chunk at a time, and
 * not at all while `write` reports a full socket: the next pull waits for `drain`, so a
 * client that stops reading stops the function instead of growing server memory.
 */
export async function sendCoreResponse(res: ServerResponse, response: CoreResponse): Promise<void> {
  writeHead(res, response)
  const { body } = response
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body)
    return
  }
  const chunks = body[Symbol.asyncIterator]()
  const drain = drainWaiter(res)
  let finished = false
  // Chunks taken within one tick (the opening line, a first event, `done` and the end of a
  // short stream) leave in one write: the socket is corked until the next tick.
  let corked = false
  const uncork = (): void => {
    corked = false
    res.uncork()
  }
  try {
    while (!res.destroyed) {
      const next = await chunks.next()
      if (next.done === true) {
        finished = true
        break
      }
      if (!corked) {
        corked = true
        res.cork()
        process.nextTick(uncork)
      }
      const writable = res.write(next.value)
      // compression() holds output in zlib until its buffer fills, so an event would wait for
      // the ones after it; its `res.flush()` sends it now. Plain node:http has no flush.
      ;(res as { flush?: () => void }).flush?.()
      if (!writable) await drain.wait()
    }
  } finally {
    drain.stop()
    // The client left (or a write failed): tell core, so the function's `finally` runs.
    if (!finished) await chunks.return?.()
    if (!res.destroyed) res.end()
  }
}

// One writeHead with core's headers; node merges them with any set upstream (`cors()`,
// `helmet()`), except Vary, whose lists are joined so caches see both.
function writeHead(res: ServerResponse, { status, headers }: CoreResponse): void {
  const vary = headers['vary']
  const upstream = vary === undefined ? undefined : res.getHeader('vary')
  if (vary === undefined || upstream === undefined) res.writeHead(status, headers)
  else res.writeHead(status, { ...headers, vary: mergeVary(upstream, vary) })
}

// One `drain` listener per response, not one per wait: compression() moves `drain` listeners
// onto its zlib stream, where `res.off` cannot reach them, so per-wait ones would pile up.
function drainWaiter(res: ServerResponse): { wait(): Promise<void>; stop(): void } {
  let wake: (() => void) | undefined
  const resume = (): void => {
    wake?.()
    wake = undefined
  }
  res.on('drain', resume)
  res.on('close', resume)
  return {
    wait: () => new Promise((resolve) => (wake = resolve)),
    stop: () => {
      res.off('drain', resume)
      res.off('close', resume)
    },
  }
}

/** Joins a `Vary` already set upstream with core's, so neither list is lost. */
export function mergeVary(upstream: number | string | string[] | undefined, ours: string | string[]): string {
  return [upstream ?? [], ours].flat().join(', ')
}
