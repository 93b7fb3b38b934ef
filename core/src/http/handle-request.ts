import type { CoreHandler, CoreRequest, CoreResponse, PassingHandler } from '../adapter/types'
import type { App } from '../app/create-app'
import type { RequestInfo } from '../app/define-function'
import type { Route } from '../app/wire-http'
import { toWireError, WireError } from '../errors/wire-error'
import { preflight, withCors, type ResolvedCors } from './cors'
import { runPipeline } from './pipeline'
import type { MaybePromise } from './maybe-promise'
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
  return withCors(cors, (request: CoreRequest) => {
    try {
      return route(app, request, pass, cors !== undefined)
    } catch (error) {
      // A throw while routing (a `cors.origin` function) is a runtime fault, as in any step.
      return rejected(error)
    }
  })
}

function route(
  app: App,
  request: CoreRequest,
  pass: boolean,
  cors: boolean,
): Promise<CoreResponse | undefined> {
  const { method, url } = request
  const path = pathOf(url)
  const match = app.router.find(method, path)
  if (match.kind === 'found') return handleRoute(app, match.value, request, match.params, path)
  // With `cors`, an OPTIONS on a wired path is core's preflight, before a framework's next().
  if (cors && method === 'OPTIONS' && match.kind === 'method-not-allowed')
    return Promise.resolve(preflight(app.options.cors as ResolvedCors, request, match.allow))
  if (pass) return Promise.resolve(undefined)
  if (match.kind === 'not-found')
    return Promise.resolve(toErrorResponse(new WireError('NOT_FOUND', `No route for ${method} ${path}`)))
  if (match.kind === 'malformed-path') {
    const error = new WireError('BAD_REQUEST', 'The request path is not validly percent-encoded')
    return Promise.resolve(toErrorResponse(error))
  }
  const allow = match.allow.join(', ')
  const error = new WireError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allow}`)
  return Promise.resolve(toErrorResponse(error, { allow }))
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

function handleRoute(
  app: App,
  route: Route,
  request: CoreRequest,
  params: Record<string, string>,
  path = pathOf(request.url),
): Promise<CoreResponse> {
  if (app.lifecycle.closing) {
    // Shutting down: send the client elsewhere (a load balancer retries), never half-serve it.
    const error = new WireError('SERVICE_UNAVAILABLE', 'The server is shutting down')
    return Promise.resolve(toErrorResponse(error, { 'retry-after': '1', connection: 'close' }))
  }
  const info: RequestInfo = { method: request.method, path, headers: request.headers, params }
  let observation: Observation | undefined
  try {
    observation = observe(app, route, request, path, info)
  } catch (error) {
    // An observer's `start` that throws is a runtime fault, like any before the answer.
    return rejected(error)
  }
  const search = searchOf(request.url, path)
  let response: MaybePromise<CoreResponse>
  try {
    response = runPipeline({ app, route, request, info, search, observation })
  } catch (error) {
    return Promise.resolve(failed(app, info, observation, error))
  }
  // Every step was synchronous: the one promise of this request is the answer's.
  if (!(response instanceof Promise)) return Promise.resolve(answered(observation, response))
  return answerLater(app, info, observation, response)
}

// Apart from handleRoute, whose every call would otherwise allocate these closures' context.
function answerLater(
  app: App,
  info: RequestInfo,
  observation: Observation | undefined,
  response: Promise<CoreResponse>,
): Promise<CoreResponse> {
  return response.then(
    (value) => answered(observation, value),
    (error: unknown) => failed(app, info, observation, error),
  )
}

function answered(observation: Observation | undefined, response: CoreResponse): CoreResponse {
  observation?.answer(response, undefined, response.body instanceof EventStream)
  return response
}

// The error answer for anything thrown before the first byte.
function failed(
  app: App,
  info: RequestInfo,
  observation: Observation | undefined,
  error: unknown,
): CoreResponse {
  const wire = toWireError(error)
  // The server's own bugs are logged: anything not a WireError, and broken output contracts.
  if (wire !== error || wire.code === 'INVALID_OUTPUT') app.options.onError(error, info)
  // The rest of an oversized body is never read, so the connection cannot be reused.
  const response = toErrorResponse(
    wire,
    wire.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : undefined,
  )
  observation?.answer(response, wire, false)
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
  let probes = noProbes
  for (const observer of observers) {
    const probe = observer.start({ request, route: route.contract, path })
    if (probe !== undefined) probes = probes === noProbes ? [probe] : [...probes, probe]
  }
  // Observers with nothing to follow (OpenTelemetry without an SDK) cost no observation either.
  if (probes === noProbes && route.middleware.length === 0) return undefined
  return new Observation(probes, (error) => onError(error, info))
}

// Absolute-form request targets (`GET http://host/path`) are legal HTTP/1.1.
function pathStart(url: string): number {
  return url.charCodeAt(0) === 47 /* / */ ? 0 : url.indexOf('/', url.indexOf('//') + 2)
}

function pathOf(url: string): string {
  const start = pathStart(url)
  if (start < 0) return '/'
  const q = url.indexOf('?', start)
  return q < 0 ? (start === 0 ? url : url.slice(start)) : url.slice(start, q)
}

// The query string without `?` (after the path, so a `?` in an authority is not taken for it).
function searchOf(url: string, path: string): string {
  const start = pathStart(url)
  const q = url.indexOf('?', start < 0 ? 0 : start + path.length)
  return q < 0 ? '' : url.slice(q + 1)
}

// What an async function's throw would give: the value thrown, an Error or not.
function rejected(error: unknown): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
  return Promise.reject(error)
}
