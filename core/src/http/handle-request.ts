import type { CoreHandler, CoreRequest, CoreResponse, PassingHandler } from '../adapter/types'
import type { App, Limits } from '../app/create-app'
import type { RequestInfo } from '../app/define-function'
import type { Route } from '../app/wire-http'
import { toWireError, WireError } from '../errors/wire-error'
import type { Issue, Validator } from '../schema/validate'
import { ChannelQueue } from '../stream/channel'
import { isEventId } from '../stream/with-event'
import { checkParsedBody, mergeInput, parseJsonBody, parseQuery } from './input'
import { acceptsEventStream, hasBody } from './negotiate'
import { CallSignal } from './call-signal'
import { preflight, withCors } from './cors'
import { ResponseHeaders, toErrorResponse, toJsonResponse } from './respond'
import { toChannelResponse, toGeneratorResponse, type Call, type Context } from './stream-response'

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
  try {
    return await run(app, route, request, info, search)
  } catch (error) {
    const wire = toWireError(error)
    // The server's own bugs are logged: anything not a WireError, and broken output contracts.
    if (wire !== error || wire.code === 'INVALID_OUTPUT') app.options.onError(error, info)
    // The rest of an oversized body is never read, so the connection cannot be reused.
    return toErrorResponse(wire, wire.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : {})
  }
}

async function run(
  app: App,
  route: Route,
  request: CoreRequest,
  info: RequestInfo,
  search: string,
): Promise<CoreResponse> {
  const { options } = app
  const session = options.authenticate === undefined ? undefined : await options.authenticate(info)
  if (route.auth && session === undefined)
    throw new WireError('UNAUTHORIZED', 'This route needs authentication')
  const lastEventId = checkLastEventId(request.headers['last-event-id'], options.limits.lastEventIdBytes)
  const query = parseQuery(search)
  const body = hasBody(request.method) ? await readInputBody(request, options.limits) : undefined
  const merged = mergeInput(info.params, query, body)
  // Without a schema there is nothing to wait for: no extra promise per request.
  const input =
    route.validate.input === undefined ? merged : await validated(route.validate.input, merged, invalidInput)

  const callSignal = new CallSignal(request)
  const { abort } = callSignal
  const channel =
    route.sse && acceptsEventStream(request.headers.accept)
      ? new ChannelQueue<unknown, unknown>(route.stream.maxQueuedEvents, () =>
          abort(new WireError('SLOW_CONSUMER', 'The client did not read the stream fast enough')),
        )
      : undefined
  const responseHeaders = new ResponseHeaders()
  const { services } = options
  const setHeader = responseHeaders.set
  // A function that surely streams has its signal read by the engine anyway: a plain property.
  // Otherwise a getter makes it on first read (V8 keeps a literal with a getter in dictionary
  // mode, which still costs less than an AbortController per JSON request).
  const ctx: Context =
    channel !== undefined || route.func.func instanceof AsyncGeneratorFunction
      ? {
          input,
          services,
          session,
          signal: callSignal.signal,
          lastEventId,
          channel,
          request: info,
          setHeader,
        }
      : {
          input,
          services,
          session,
          get signal() {
            return callSignal.signal
          },
          lastEventId,
          channel,
          request: info,
          setHeader,
        }
  const sessionKey =
    session === undefined || session === null ? undefined : options.limits.sessionKey(session)
  const reserve = (): (() => void) => app.lifecycle.reserve(sessionKey, options.limits)
  // A progressive stream takes its slot before the function runs: the function starts it.
  const slot = channel === undefined ? undefined : reserve()
  const call: Call = { app, route, request, ctx, abort, headers: responseHeaders, release: slot ?? noop }
  let output: unknown
  let source: AsyncIterator<unknown, unknown> | undefined
  try {
    const result = route.func.func(ctx)
    if (isAsyncIterable(result)) {
      source = result[Symbol.asyncIterator]()
      // A generator has not run yet: the slot is taken before its first step, or it never runs.
      return await toGeneratorResponse({ ...call, release: reserve() }, source)
    }
    const value: unknown = await result
    // Without a schema there is nothing to wait for: no extra promise per request.
    output =
      route.validate.output === undefined
        ? value
        : await validated(route.validate.output, value, invalidOutput)
    if (channel !== undefined) return toChannelResponse(call, channel, output)
  } catch (error) {
    slot?.()
    // The answer is an error, not a stream: what the function started stops now (a timer that
    // sends on its channel, a subscription on its signal, a source a 429 never let start).
    void channel?.return()
    abort(error)
    if (source !== undefined) dispose(source)
    throw error
  }
  const headers = responseHeaders.seal()
  if (route.sse) headers['vary'] = 'accept'
  if (output === undefined) return { status: 204, headers, body: undefined }
  const response = toJsonResponse(200, output, headers)
  if (request.method === 'HEAD') response.body = undefined
  return response
}

const noop = (): void => undefined

// Returns a source no stream took over. A generator that never started completes without
// running its body; one that threw is already done. A failing `return()` changes no answer.
function dispose(source: AsyncIterator<unknown, unknown>): void {
  try {
    source.return?.(undefined).catch(noop)
  } catch {
    // A synchronous throw from a hand-written iterator's return(): nothing left to stop.
  }
}

// The header goes to user code as `ctx.lastEventId`, so it is checked rather than passed on: it
// passes exactly when a stream of this app could have sent it (`withEvent`, `maxIdChars`).
function checkLastEventId(value: string | undefined, maxBytes: number): string | undefined {
  if (value === undefined) return undefined
  if (value.length > maxBytes || !isEventId(value)) {
    throw new WireError(
      'BAD_REQUEST',
      `Last-Event-ID must be an event id: at most ${maxBytes} visible ASCII characters, spaces only between them`,
    )
  }
  return value
}

async function validated(
  validator: Validator | undefined,
  value: unknown,
  toError: (issues: Issue[]) => WireError,
): Promise<unknown> {
  if (validator === undefined) return value
  const validation = await validator(value)
  if (!validation.ok) throw toError(validation.issues)
  return validation.value
}

async function readInputBody(request: CoreRequest, limits: Required<Limits>): Promise<unknown> {
  const contentType = request.headers['content-type']
  const { parsedBody } = request
  if (parsedBody !== undefined) return checkParsedBody(parsedBody.value, contentType, limits.jsonDepth)
  return parseJsonBody(await request.body(limits.bodyBytes), contentType, limits.jsonDepth)
}

function invalidInput(issues: Issue[]): WireError {
  const first = issues[0]
  const where = first === undefined || first.path.length === 0 ? '' : `${first.path.join('.')}: `
  return new WireError('VALIDATION_ERROR', `Invalid input: ${where}${first?.message ?? 'rejected'}`, {
    details: { issues },
  })
}

function invalidOutput(issues: Issue[]): WireError {
  return new WireError('INVALID_OUTPUT', 'The server produced a value that does not match its schema', {
    cause: issues,
  })
}

// Any async iterable streams (a generator, a hub subscription); anything else is a value.
function isAsyncIterable(value: unknown): value is AsyncIterable<unknown, unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

// The constructor of every `async function*`, which the language does not name globally.
const AsyncGeneratorFunction = async function* () {}.constructor as new () => unknown

function splitUrl(url: string): { path: string; search: string } {
  // Absolute-form request targets (`GET http://host/path`) are legal HTTP/1.1.
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2)
  const q = url.indexOf('?', start)
  if (start < 0) return { path: '/', search: q < 0 ? '' : url.slice(q + 1) }
  return q < 0
    ? { path: url.slice(start), search: '' }
    : { path: url.slice(start, q), search: url.slice(q + 1) }
}
