import type { Request, Response } from 'express'
import type { CoreRequest } from '@sluice/core/adapter'
import { toCoreRequest as toNodeCoreRequest, tooLarge } from '@sluice/node'

/**
 * Converts an Express request into core's neutral request: node's conversion (Express's
 * `req.url` is already relative to the mount path), plus any body a parser upstream read.
 */
export function toCoreRequest(req: Request, res: Response): CoreRequest {
  const request = toNodeCoreRequest(req, res)
  if (!req.readableEnded) return request
  // A parser upstream drained the stream, so reading it again would wait forever.
  const parsed: unknown = req.body
  const bytes = typeof parsed === 'string' ? Buffer.from(parsed) : parsed
  // `express.json()` (or `urlencoded()`): core still checks the content type and prototype keys.
  // Set on node's request rather than spread into a copy, which would read its lazy signal.
  if (!(bytes instanceof Uint8Array)) {
    request.parsedBody = { value: parsed }
    return request
  }
  // `express.raw()` / `express.text()`: core decodes the bytes as if it had read them itself.
  request.body = (maxBytes) =>
    bytes.byteLength > maxBytes ? Promise.reject(tooLarge(maxBytes)) : Promise.resolve(bytes)
  return request
}
