import type { Response } from 'express'
import type { CoreResponse } from '@sluice/core/adapter'
import { sendCoreResponse as sendNodeCoreResponse } from '@sluice/node'

/**
 * Writes core's response with node's backpressure. Headers middleware set upstream (`cors()`,
 * `helmet()`) stay; a `Vary` from upstream is merged with core's, since caches need both.
 */
export function sendCoreResponse(res: Response, response: CoreResponse): Promise<void> {
  const upstream = res.getHeader('vary')
  const vary = response.headers['vary']
  if (upstream !== undefined && vary !== undefined)
    response.headers['vary'] = [upstream, vary].flat().join(', ')
  return sendNodeCoreResponse(res, response)
}
