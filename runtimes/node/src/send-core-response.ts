import type { ServerResponse } from 'node:http'
import type { CoreResponse } from '@sluice/core/adapter'

/**
 * Writes core's response to node:http. A streamed body is pulled one chunk at a time, and
 * not at all while `write` reports a full socket: the next pull waits for `drain`, so a
 * client that stops reading stops the function instead of growing server memory.
 */
export async function sendCoreResponse(res: ServerResponse, response: CoreResponse): Promise<void> {
  res.statusCode = response.status
  for (const name in response.headers) {
    const value = response.headers[name] as string | string[]
    // Middleware upstream (cors) may have set its own Vary; caches need both lists.
    res.setHeader(name, name === 'vary' ? mergeVary(res.getHeader('vary'), value) : value)
  }
  const { body } = response
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body)
    return
  }
  const chunks = body[Symbol.asyncIterator]()
  let finished = false
  try {
    while (!res.destroyed) {
      const next = await chunks.next()
      if (next.done === true) {
        finished = true
        break
      }
      if (!res.write(next.value)) await drained(res)
    }
  } finally {
    // The client left (or a write failed): tell core, so the function's `finally` runs.
    if (!finished) await chunks.return?.()
    if (!res.destroyed) res.end()
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

/** Joins a `Vary` already set upstream with core's, so neither list is lost. */
export function mergeVary(upstream: number | string | string[] | undefined, ours: string | string[]): string {
  return [upstream ?? [], ours].flat().join(', ')
}
