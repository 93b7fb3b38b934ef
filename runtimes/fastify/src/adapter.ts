import type {
  FastifyBodyParser,
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify'
import {
  closeApp,
  createPreflightHandler,
  createRouteHandler,
  type App,
  type CloseOptions,
  type CoreResponse,
  type WireError,
} from '@sluice/core/adapter'
import { sendCoreResponse } from './send-core-response'
import { toBodyError, toCoreRequest } from './to-core-request'

/** Options of `sluicePlugin`; Fastify's own `prefix` works as with any plugin. */
export interface SluicePluginOptions {
  app: App
  /** How `fastify.close()` ends open streams (`closeApp` options: grace period, retry spread). */
  shutdown?: CloseOptions
}

type Answer = (request: FastifyRequest, reply: FastifyReply, bodyError?: WireError) => void

// Paths find-my-way reads differently from core: `:user-id` is a param `user` then `-id`.
const PORTABLE_PATH = /^(?:\/(?::\w+|[^/:*]*))+$/

/**
 * Registers every wired route as a native Fastify route, so Fastify's 404 handler, hooks,
 * prefixes and content-type parsing keep working. Encapsulated on purpose (no fastify-plugin):
 * its JSON parser and error handling apply to sluice's routes only.
 */
export const sluicePlugin: FastifyPluginAsync<SluicePluginOptions> = async (fastify, { app, shutdown }) => {
  addJsonParsers(fastify)
  // fastify.close() first ends sluice's streams gracefully: a final jittered `retry:`, every
  // generator's `finally` run, within the grace period.
  fastify.addHook('preClose', () => closeApp(app, shutdown))
  const bodyLimit = app.options.limits.bodyBytes
  const preflights = new Set<string>()
  for (const route of app.routes) {
    if (!PORTABLE_PATH.test(route.path)) {
      throw new Error(`sluice: route "${route.path}" means something else to Fastify; use \\w+ param names`)
    }
    const handle = createRouteHandler(app, route)
    // Returns nothing, as a callback-style Fastify handler: a returned promise would cost
    // Fastify's wrapThenable, and the `reply` it resolved to is a thenable Fastify awaits
    // with an end-of-stream watcher on the response (listeners an idle stream keeps).
    const answer: Answer = (request, reply, bodyError) => {
      handle(toCoreRequest(request, reply, bodyError), request.params as Record<string, string>).then(
        (response) => respond(reply, response),
        (failure: unknown) => sendFailure(reply, failure),
      )
    }
    fastify.route({
      // Core answers HEAD itself (headers, no body, the GET's Content-Length); Fastify's own
      // HEAD route would replace that length with 0.
      method: route.method === 'GET' ? ['GET', 'HEAD'] : route.method,
      url: route.path,
      bodyLimit,
      handler: answer,
      // Fastify parses no GET body, so a GET route has no body error to answer.
      errorHandler: route.method === 'GET' ? undefined : toBodyErrorHandler(answer, bodyLimit),
    })
    // With core's `cors` option, each wired path answers its own preflight, as on every runtime.
    const preflight = preflights.has(route.path) ? undefined : createPreflightHandler(app, route.path)
    if (preflight === undefined) continue
    preflights.add(route.path)
    fastify.options(route.path, (request, reply) => {
      preflight(toCoreRequest(request, reply)).then(
        (response) => respond(reply, response),
        (failure: unknown) => sendFailure(reply, failure),
      )
    })
  }
}

// A body Fastify refused reaches core as the body it could not read, so the answer is node's:
// same status, code and order of checks, and the function never runs (core reads the body
// first). Any other error goes on to the user's error handler.
function toBodyErrorHandler(answer: Answer, bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const bodyError = toBodyError(error, bodyLimit)
    if (bodyError === undefined) throw error
    answer(request, reply, bodyError)
  }
}

// A throw here (a header value node refuses) would otherwise be an unhandled rejection.
function respond(reply: FastifyReply, response: CoreResponse): void {
  try {
    sendCoreResponse(reply, response)
  } catch (failure) {
    sendFailure(reply, failure)
  }
}

// Core answers its own failures; this is for a bug in it or in the adapter. Fastify's error
// path (its error handler, logging, 500) takes it, as it would a rejected async handler's.
function sendFailure(reply: FastifyReply, failure: unknown): void {
  if (reply.sent) return
  reply.send(failure instanceof Error ? failure : new Error(String(failure)))
}

// JSON bodies reach core as bytes (within Fastify's bodyLimit), so core parses them exactly as
// on every runtime: strict UTF-8 (Fastify's string parser would turn invalid bytes into U+FFFD),
// prototype keys a 400 BAD_REQUEST (Fastify's refusal is indistinguishable from invalid JSON),
// the depth limit, an empty body as no body. `application/*+json` is JSON, as in core. A JSON
// parser the user registered stays: Fastify refuses to replace it, and sluice routes then get
// its parsed value, which core still checks.
function addJsonParsers(fastify: FastifyInstance): void {
  const parse: FastifyBodyParser<Buffer> = (_request, body, done) => done(null, body)
  try {
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, parse)
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'FST_ERR_CTP_ALREADY_PRESENT') throw error
  }
  fastify.addContentTypeParser(/^application\/[^;\s]+\+json(?:;|$)/, { parseAs: 'buffer' }, parse)
}
