import type { CoreHandler, CoreRequest, CoreResponse, PassingHandler } from '../adapter/types'
import type { App } from '../app/create-app'
import type { RequestInfo } from '../app/define-function'
import type { Route } from '../app/wire-http'
import { toWireError, WireError } from '../errors/wire-error'
import { preflight, withCors } from './cors'
import { runPipeline } from './pipeline'
import { EventStream } from '../stream/event-stream'
import { toErrorResponse } from './respond'
import { Observation } from '../observe/observation'
import type { Probe } from '../observe/observer'

/** Options of `createHandler`. */
export interface HandlerOptions {
  /**
   * Resolve `undefined` instead of answering 404 / 405 when no route matches, so a framework
   * (Express's `next()`) can hand the request on.
   */
  passUnmatched?: boolean
}

/**
 * Core's request handler: routing, auth, input, the call, and the JSON or SSE response.
 * Everything that fails before the first byte becomes a real status with a JSON error body.
 */
export function createHandler(app: App): CoreHandler
export function createHandler(app: App, options: HandlerOptions & { passUnmatched: true }): PassingHandler
export function createHandler(app: App, options: HandlerOptions): PassingHandler
export function createHandler(app: App, options: HandlerOptions = {}): PassingHandler {
  const pass = options.passUnmatched === true
  const { cors } = app.options
  return withCors(cors, async (request: CoreRequest) => {
    const url = splitUrl(request.url)
    const { path } = url
    const match = app.router.find(request.method, path)
    // With `cors`, an OPTIONS on a wired path is core's preflight, before a framework's next().
    if (cors !== undefined && request.method === 'OPTIONS' && match.kind === 'method-not-allowed')
      return preflight(cors, request, match.allow)
    if (pass && (match.kind === 'not-found' || match.kind === 'method-not-allowed')) return undefined
    if (match.kind === 'not-found')
      return toErrorResponse(new WireError('NOT_FOUND', `No route for ${request.method} ${path}`))
    if (match.kind === 'malformed-path')
      return toErrorResponse(new WireError('BAD_REQUEST', 'The request path is not validly percent-encoded'))
    if (match.kind === 'method-not-allowed') {
      const allow = match.allow.join(', ')
      const error = new WireError(
        'METHOD_NOT_ALLOWED',
        `${request.method} is not allowed on ${path}; use ${allow}`,
      )
      return toErrorResponse(error, { allow })
    }
    return handleRoute(app, match.value, request, match.params, url)
  })
}

/** A framework's route handler: `params` come from the framework's own router. */
export type RouteHandler = (request: CoreRequest, params: Record<string, string>) => Promise<CoreResponse>

/**
 * Handles requests for one route whose routing the framework already did (Fastify registers
 * each wired route natively, so its prefixes, hooks and 404 handler keep working).
 */
export function createRouteHandler(app: App, route: Route): RouteHandler {
  return withCors(app.options.cors, (request: CoreRequest, params: Record<string, string>) =>
    handleRoute(app, route, request, params),
  )
}

async function handleRoute(
  app: App,
  route: Route,
  request: CoreRequest,
  params: Record<string, string>,
  url = splitUrl(request.url),
): Promise<CoreResponse> {
  const { path, search } = url
  if (app.lifecycle.closing) {
    // Shutting down: send the client elsewhere (a load balancer retries), never half-serve it.
    const error = new WireError('SERVICE_UNAVAILABLE', 'The server is shutting down')
    return toErrorResponse(error, { 'retry-after': '1', connection: 'close' })
  }
  const info: RequestInfo = { method: request.method, path, headers: request.headers, params }
  const observation = observe(app, route, request, path, info)
  let response: CoreResponse
  let failure: unknown
  try {
    response = await runPipeline({ app, route, request, info, search, observation })
  } catch (error) {
    const wire = toWireError(error)
    // The server's own bugs are logged: anything not a WireError, and broken output contracts.
    if (wire !== error || wire.code === 'INVALID_OUTPUT') app.options.onError(error, info)
    // The rest of an oversized body is never read, so the connection cannot be reused.
    response = toErrorResponse(wire, wire.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : {})
    failure = wire
  }
  observation?.answer(response, failure, response.body instanceof EventStream)
  return response
}

const noProbes: Probe[] = []

// Nothing is made for a request that no observer or middleware watches.
function observe(
  app: App,
  route: Route,
  request: CoreRequest,
  path: string,
  info: RequestInfo,
): Observation | undefined {
  const { observers, onError } = app.options
  if (observers.length === 0 && route.middleware.length === 0) return undefined
  const probes: Probe[] = observers.length === 0 ? noProbes : []
  for (const observer of observers) {
    const probe = observer.start({ request, route: route.contract, path })
    if (probe !== undefined) probes.push(probe)
  }
  return new Observation(probes, (error) => onError(error, info))
}

function splitUrl(url: string): { path: string; search: string } {
  // Absolute-form request targets (`GET http://host/path`) are legal HTTP/1.1.
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2)
  const q = url.indexOf('?', start)
  if (start < 0) return { path: '/', search: q < 0 ? '' : url.slice(q + 1) }
  return q < 0
    ? { path: url.slice(start), search: '' }
    : { path: url.slice(start, q), search: url.slice(q + 1) }
}
