import type { CoreRequest, CoreResponse } from '../adapter/types'
import type { Limits } from '../app/create-app'
import type { Session } from '../app/define-function'
import type { Route } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import type { Issue, Validation } from '../schema/validate'
import { isEventId } from '../stream/with-event'
import { noVars, runMiddleware } from '../middleware/run-middleware'
import type { Observation } from '../observe/observation'
import { RouteCall, type Exchange, type ReadInput } from './route-call'
import { isThenable, type MaybePromise } from './maybe-promise'
import { checkParsedBody, mergeInput, parseJsonBody, parseQuery } from './input'
import { hasBody } from './negotiate'
import { toJsonResponse } from './respond'
import { toChannelResponse, toGeneratorResponse, type Call } from './stream-response'

export type { Exchange, ReadInput } from './route-call'

/**
 * Runs the steps in order: authorize, the route's middleware (app, route, function), then
 * read input, build the context, call, respond. Each step answers now when it can: a request
 * whose steps are all synchronous makes no promise here (see `MaybePromise`).
 */
export function runPipeline(exchange: Exchange): MaybePromise<CoreResponse> {
  const session = authorize(exchange)
  if (isThenable(session)) return afterSession(exchange, session)
  return afterAuthorize(exchange, session)
}

// The async branches live in functions of their own: a function that makes a closure allocates
// its context on every call, even when the synchronous path makes none.
function afterSession(exchange: Exchange, session: PromiseLike<Session | undefined>): Promise<CoreResponse> {
  return Promise.resolve(session).then((value) => afterAuthorize(exchange, value))
}

function afterAuthorize(exchange: Exchange, session: Session | undefined): MaybePromise<CoreResponse> {
  const { middleware } = exchange.route
  if (middleware.length === 0) {
    // Inline, not `callRoute`: a route without middleware pays no extra async frame.
    const read = readInput(exchange)
    if (read instanceof Promise) return afterInput(exchange, session, read)
    return callAndRespond(buildCall(exchange, session, read, noVars))
  }
  return aroundMiddleware(exchange, session, middleware)
}

function afterInput(
  exchange: Exchange,
  session: Session | undefined,
  read: Promise<ReadInput>,
): Promise<CoreResponse> {
  return read.then((value) => callAndRespond(buildCall(exchange, session, value, noVars)))
}

function aroundMiddleware(
  exchange: Exchange,
  session: Session | undefined,
  middleware: Route['middleware'],
): Promise<CoreResponse> {
  const { info, route, app, observation } = exchange
  // handle-request makes an observation for every route with middleware.
  if (observation === undefined) throw new Error('sluice: a route with middleware has no observation')
  const parts = {
    request: info,
    route: route.contract,
    services: app.options.services,
    session,
    observation,
  }
  return runMiddleware(middleware, parts, (vars) => callRoute(exchange, session, vars))
}

async function callRoute(
  exchange: Exchange,
  session: Session | undefined,
  vars: Readonly<Record<string, unknown>>,
): Promise<CoreResponse> {
  const read = await readInput(exchange)
  return callAndRespond(buildCall(exchange, session, read, vars))
}

/** Step 1: the session from `authenticate`; a route that needs one and gets none is a 401. */
export function authorize({ app, route, info }: Exchange): MaybePromise<Session | undefined> {
  const { authenticate } = app.options
  if (authenticate === undefined) return checkSession(route, undefined)
  const session = authenticate(info)
  if (isThenable(session)) return checkLater(route, session)
  return checkSession(route, session)
}

function checkLater(route: Route, session: PromiseLike<Session | undefined>): Promise<Session | undefined> {
  return Promise.resolve(session).then((value) => checkSession(route, value))
}

function checkSession(route: Route, session: Session | undefined): Session | undefined {
  if (route.contract.auth && session === undefined)
    throw new WireError('UNAUTHORIZED', 'This route needs authentication')
  return session
}

/** Step 2: path params, query and body merged (strings coerced to the schema's types), then validated. */
export function readInput(exchange: Exchange): MaybePromise<ReadInput> {
  const { app, request, search } = exchange
  const { limits } = app.options
  const lastEventId = checkLastEventId(request.headers['last-event-id'], limits.lastEventIdBytes)
  const query = parseQuery(search)
  if (!hasBody(request.method)) return toInput(exchange, query, undefined, lastEventId)
  const body = readInputBody(request, limits)
  if (body instanceof Promise) return bodyLater(exchange, query, body, lastEventId)
  return toInput(exchange, query, body, lastEventId)
}

function bodyLater(
  exchange: Exchange,
  query: Readonly<Record<string, string | string[]>>,
  body: Promise<unknown>,
  lastEventId: string | undefined,
): Promise<ReadInput> {
  return body.then((value) => toInput(exchange, query, value, lastEventId))
}

function toInput(
  { route, info }: Exchange,
  query: Readonly<Record<string, string | string[]>>,
  body: unknown,
  lastEventId: string | undefined,
): MaybePromise<ReadInput> {
  const { coerce } = route
  const merged =
    coerce === undefined
      ? mergeInput(info.params, query, body)
      : mergeInput(coerce(info.params), coerce(query), body)
  const validator = route.validate.input
  if (validator === undefined) return { input: merged, lastEventId }
  const validation = validator(merged)
  if (validation instanceof Promise) return validLater(validation, lastEventId)
  return { input: checked(validation, invalidInput), lastEventId }
}

function validLater(validation: Promise<Validation>, lastEventId: string | undefined): Promise<ReadInput> {
  return validation.then((value) => ({ input: checked(value, invalidInput), lastEventId }))
}

/** Step 3: the function's one context, its signal, channel and response headers. */
export function buildCall(
  exchange: Exchange,
  session: Session | undefined,
  read: ReadInput,
  vars: Readonly<Record<string, unknown>> = noVars,
): Call {
  return new RouteCall(exchange, session, read, vars)
}

/**
 * Steps 4 and 5: calls the function and answers by the route's contract: a generator's stream,
 * a progressive route's channel stream, or the value as JSON with the declared status.
 */
export function callAndRespond(call: Call): MaybePromise<CoreResponse> {
  const { route, ctx, channel, observation } = call
  // A progressive stream takes its slot before the function runs: the function starts it.
  const slot = channel === undefined ? undefined : reserve(call)
  let source: AsyncIterator<unknown, unknown> | undefined
  try {
    const { func } = route.func
    const result = observation?.wraps === true ? runIn(observation, func, ctx) : func(ctx)
    if (isAsyncIterable(result)) {
      source = result[Symbol.asyncIterator]()
      if (route.contract.kind !== 'stream') throw streamOnJsonRoute(route)
      return toStream(call, source)
    }
    if (isThenable(result)) return valueLater(call, slot, result)
    return respondValue(call, slot, result)
  } catch (error) {
    return failCall(call, slot, source, error)
  }
}

function runIn(observation: Observation, func: Route['func']['func'], ctx: Call['ctx']): unknown {
  return observation.run(() => func(ctx))
}

// A generator has not run yet: the slot is taken before its first step, or it never runs.
function toStream(call: Call, source: AsyncIterator<unknown, unknown>): Promise<CoreResponse> {
  const { observation } = call
  const steps = observation?.wraps === true ? inContext(observation, source) : source
  call.release = reserve(call)
  return toGeneratorResponse(call, steps).catch((error: unknown) => failCall(call, undefined, source, error))
}

function valueLater(
  call: Call,
  slot: (() => void) | undefined,
  result: PromiseLike<unknown>,
): Promise<CoreResponse> {
  return Promise.resolve(result).then(
    (value) => respondValue(call, slot, value),
    (error: unknown) => failCall(call, slot, undefined, error),
  )
}

// The function's value: checked against the output schema, then the channel's stream or JSON.
function respondValue(
  call: Call,
  slot: (() => void) | undefined,
  value: unknown,
): MaybePromise<CoreResponse> {
  const validator = call.route.validate.output
  if (validator === undefined) return respondOutput(call, slot, value)
  try {
    const validation = validator(value)
    if (validation instanceof Promise) return outputLater(call, slot, validation)
    return respondOutput(call, slot, checked(validation, invalidOutput))
  } catch (error) {
    return failCall(call, slot, undefined, error)
  }
}

function outputLater(
  call: Call,
  slot: (() => void) | undefined,
  validation: Promise<Validation>,
): Promise<CoreResponse> {
  return validation.then(
    (done) => respondOutput(call, slot, checked(done, invalidOutput)),
    (error: unknown) => failCall(call, slot, undefined, error),
  )
}

function respondOutput(call: Call, slot: (() => void) | undefined, output: unknown): CoreResponse {
  const { channel } = call
  if (channel === undefined) return respondJson(call, output)
  call.release = slot ?? noop
  try {
    return toChannelResponse(call, channel, output)
  } catch (error) {
    return failCall(call, slot, undefined, error)
  }
}

// The answer is an error, not a stream: what the function started stops now (a timer that
// sends on its channel, a subscription on its signal, a source a 429 never let start).
function failCall(
  call: Call,
  slot: (() => void) | undefined,
  source: AsyncIterator<unknown, unknown> | undefined,
  error: unknown,
): never {
  slot?.()
  void call.channel?.return()
  call.abort(error)
  if (source !== undefined) dispose(source)
  throw error
}

function reserve(call: Call): () => void {
  const { app } = call
  return app.lifecycle.reserve(call.sessionKey, app.options.limits)
}

/** Step 5 for a value: JSON with the contract's status, or 204 for `undefined`. */
export function respondJson(call: Call, output: unknown): CoreResponse {
  const { route, request } = call
  let headers = call.headers.seal()
  if (route.contract.kind === 'progressive') (headers ??= {})['vary'] = 'accept'
  if (output === undefined) return { status: 204, headers: headers ?? {}, body: undefined }
  const response = toJsonResponse(route.contract.status, output, headers)
  if (request.method === 'HEAD') response.body = undefined
  return response
}

const noop = (): void => undefined

// Every step of a generator runs in the observers' context (a span's), since a step runs in
// the context of whoever pulls it: the adapter's write loop.
function inContext(
  observation: Observation,
  iterator: AsyncIterator<unknown, unknown>,
): AsyncIterator<unknown, unknown> {
  return {
    next: () => observation.run(() => iterator.next()),
    return: (value?: unknown) =>
      observation.run(() => iterator.return?.(value) ?? Promise.resolve({ done: true, value })),
  }
}

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

function checked(validation: Validation, toError: (issues: Issue[]) => WireError): unknown {
  if (!validation.ok) throw toError(validation.issues)
  return validation.value
}

function readInputBody(request: CoreRequest, limits: Required<Limits>): MaybePromise<unknown> {
  const contentType = request.headers['content-type']
  const { parsedBody } = request
  if (parsedBody !== undefined) return checkParsedBody(parsedBody.value, contentType, limits.jsonDepth)
  return request.body(limits.bodyBytes).then((bytes) => parseJsonBody(bytes, contentType, limits.jsonDepth))
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

// The one wiring mistake no check can see before a call: a plain function that returns a stream.
function streamOnJsonRoute(route: Route): WireError {
  const cause = new Error(
    `sluice: ${route.method} ${route.path} returned an async iterable but is wired as ${route.contract.kind}; ` +
      'write its function as an async function* (yield* the iterable) so it is wired as a stream',
  )
  return new WireError('INVALID_OUTPUT', 'The server produced a value that does not match its contract', {
    cause,
  })
}

// Any async iterable streams (a generator, a hub subscription); anything else is a value.
function isAsyncIterable(value: unknown): value is AsyncIterable<unknown, unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}
