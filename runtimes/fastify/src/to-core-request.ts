import type { FastifyReply, FastifyRequest } from 'fastify'
import { WireError, type CoreRequest } from '@sluice/core/adapter'
import { toCoreRequest as toNodeRequest, tooLarge } from '@sluice/node'

/**
 * Converts a Fastify request into core's neutral request, on top of node's (same raw req and
 * res, same disconnect signal). Fastify has already parsed the body, so it goes as
 * `parsedBody`; a body Fastify refused goes as `bodyError`, which `body()` rejects with.
 */
export function toCoreRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  bodyError?: WireError,
): CoreRequest {
  const core = toNodeRequest(request.raw, reply.raw)
  // Either way Fastify has consumed the raw stream: node's `body()` must never read it again.
  // Set on node's request rather than spread into a copy, which would read its lazy signal.
  if (bodyError !== undefined) {
    core.body = () => Promise.reject(bodyError)
    return core
  }
  const { body } = request
  // sluice's own JSON parser hands over the bytes (core parses them); a user's parser, a value.
  if (body instanceof Uint8Array) core.body = () => Promise.resolve(body)
  else core.parsedBody = { value: body }
  return core
}

/**
 * Turns the errors Fastify raises while reading a body (before sluice runs) into the
 * `WireError` node's runtime answers for the same body; any other error is not sluice's.
 */
export function toBodyError(error: { code?: string }, maxBytes: number): WireError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge(maxBytes)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new WireError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Request body must be sent as Content-Type: application/json',
      )
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new WireError('INVALID_JSON', 'Request body is not valid JSON')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new WireError('BAD_REQUEST', 'Request body size did not match Content-Length')
    default:
      return undefined
  }
}
