import type { FastifyReply } from 'fastify'
import type { CoreResponse } from '@sluice/core/adapter'
import { mergeVary } from '@sluice/node'
import { ChunkReadable } from './chunk-readable'

/**
 * Writes core's response through `reply.send`, so Fastify's onSend hooks, logging and the
 * headers other plugins set (CORS) apply to streams too. A stream goes as a `ChunkReadable`,
 * which core pushes into only while Fastify's pipe takes chunks, and which returns core's stream
 * when Fastify destroys it (the client left).
 */
export function sendCoreResponse(reply: FastifyReply, response: CoreResponse): FastifyReply {
  const { headers } = response
  reply.code(response.status)
  // One by one rather than a copy without Vary: `reply.headers()` sets them one by one too.
  for (const name in headers) if (name !== 'vary') reply.header(name, headers[name])
  const vary = headers['vary']
  // A plugin may have set its own Vary (@fastify/cors: Origin); caches need both lists.
  if (vary !== undefined) reply.header('vary', mergeVary(reply.getHeader('vary'), vary))
  const { body } = response
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return reply.send(body)
  return reply.send(new ChunkReadable(body))
}
