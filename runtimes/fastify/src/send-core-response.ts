import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'
import type { CoreResponse } from '@sluice/core/adapter'
import { mergeVary } from '@sluice/node'

/**
 * Writes core's response through `reply.send`, so Fastify's onSend hooks, logging and the
 * headers other plugins set (CORS) apply to streams too. A stream becomes a byte Readable with
 * a 1-byte high-water mark: it pulls the next chunk only once Fastify's pipe has taken the last,
 * and the pipe stops taking while the socket is full. When the client leaves, Fastify destroys
 * the Readable, which calls the iterator's `return()`.
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
  return reply.send(Readable.from(body, { objectMode: false, highWaterMark: 1 }))
}
