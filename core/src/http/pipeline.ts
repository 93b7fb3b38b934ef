import type { CoreRequest, CoreResponse } from '../adapter/types'
import type { App, Limits } from '../app/create-app'
import type { RequestInfo, Session } from '../app/define-function'
import type { Route } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import type { Issue, Validator } from '../schema/validate'
import { ChannelQueue } from '../stream/channel'
import { isEventId } from '../stream/with-event'
import { noVars, runMiddleware } from '../middleware/run-middleware'
import type { Observation } from '../observe/observation'
import { CallContext } from './call-context'
import { CallSignal } from './call-signal'
import { checkParsedBody, mergeInput, parseJsonBody, parseQuery } from './input'
import { acceptsEventStream, hasBody } from './negotiate'
import { ResponseHeaders, toJsonResponse } from './respond'
import { toChannelResponse, toGeneratorResponse, type Call } from './stream-response'

/**
 * One request on its way through the pipeline. Each step reads what the steps before it
 * set; a later middleware layer composes the same steps with its own between them.
 */
export interface Exchange {
  readonly app: App
  readonly route: Route
  readonly request: CoreRequest
  readonly info: RequestInfo
  /** The query string, without `?`. */
  readonly search: string
  /** The request's observers and middleware hooks; absent when nothing observes the route. */
  readonly observation: Observation | undefined
}

/** The input step's result: the validated input and the checked `Last-Event-ID`. */
export interface ReadInput {
  input: unknown
  lastEventId: string | undefined
}

/**
 * Runs the steps in order: authorize, the route's middleware (app, route, function), then
 * read input, build the context, call, respond.
 */
export async function runPipeline(exchange: Exchange): Promise<CoreResponse> {
  const session = await authorize(exchange)
  const { middleware } = exchange.route
  if (middleware.length === 0) {
    // Inline, not `callRoute`: a route without middleware pays no extra async frame.
    const read = await readInput(exchange)
    return callAndRespond(buildCall(exchange, session, read, noVars))
  }
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
export async function authorize({ app, route, info }: Exchange): Promise<Session | undefined> {
  const { authenticate } = app.options
  const session = authenticate === undefined ? undefined : await authenticate(info)
  if (route.contract.auth && session === undefined)
    throw new WireError('UNAUTHORIZED', 'This route needs authentication')
  return session
}

/** Step 2: path params, query and body merged (strings coerced to the schema's types), then validated. */
export async function readInput({ app, route, request, info, search }: Exchange): Promise<ReadInput> {
  const { limits } = app.options
  const lastEventId = checkLastEventId(request.headers['last-event-id'], limits.lastEventIdBytes)
  const { coerce } = route
  const query = parseQuery(search)
  const body = hasBody(request.method) ? await readInputBody(request, limits) : undefined
  const merged =
    coerce === undefined
      ? mergeInput(info.params, query, body)
      : mergeInput(coerce(info.params), coerce(query), body)
  // Without a schema there is nothing to wait for: no extra promise per request.
  const validator = route.validate.input
  const input = validator === undefined ? merged : await validated(validator, merged, invalidInput)
  return { input, lastEventId }
}

/** Step 3: the function's one context, its signal, channel and response headers. */
export function buildCall(
  exchange: Exchange,
  session: Session | undefined,
  read: ReadInput,
  vars: Readonly<Record<string, unknown>> = noVars,
): Call {
  const { app, route, request, info, observation } = exchange
  const { options } = app
  const callSignal = new CallSignal(request)
  const { abort } = callSignal
  const channel =
    route.contract.kind === 'progressive' && acceptsEventStream(request.headers.accept)
      ? new ChannelQueue<unknown, unknown>(route.stream.maxQueuedEvents, () =>
          abort(new WireError('SLOW_CONSUMER', 'The client did not read the stream fast enough')),
        )
      : undefined
  const headers = new ResponseHeaders()
  const ctx = new CallContext({
    route,
    input: read.input,
    services: options.services,
    session,
    lastEventId: read.lastEventId,
    channel,
    request: info,
    vars,
    setHeader: headers.set,
    callSignal,
  })
  const sessionKey =
    session === undefined || session === null ? undefined : options.limits.sessionKey(session)
  const aborts = callSignal
  return { app, route, request, ctx, abort, aborts, headers, release: noop, channel, sessionKey, observation }
}

/**
 * Steps 4 and 5: calls the function and answers by the route's contract: a generator's stream,
 * a progressive route's channel stream, or the value as JSON with the declared status.
 */
export async function callAndRespond(call: Call): Promise<CoreResponse> {
  const { app, route, ctx, channel, observation } = call
  const reserve = (): (() => void) => app.lifecycle.reserve(call.sessionKey, app.options.limits)
  // A progressive stream takes its slot before the function runs: the function starts it.
  const slot = channel === undefined ? undefined : reserve()
  let output: unknown
  let source: AsyncIterator<unknown, unknown> | undefined
  try {
    const { func } = route.func
    const result = observation?.wraps === true ? observation.run(() => func(ctx)) : func(ctx)
    if (isAsyncIterable(result)) {
      source = result[Symbol.asyncIterator]()
      if (route.contract.kind !== 'stream') throw streamOnJsonRoute(route)
      // A generator has not run yet: the slot is taken before its first step, or it never runs.
      const steps = observation?.wraps === true ? inContext(observation, source) : source
      return await toGeneratorResponse({ ...call, release: reserve() }, steps)
    }
    const value: unknown = await result
    // Without a schema there is nothing to wait for: no extra promise per request.
    output =
      route.validate.output === undefined
        ? value
        : await validated(route.validate.output, value, invalidOutput)
    if (channel !== undefined) return toChannelResponse({ ...call, release: slot ?? noop }, channel, output)
  } catch (error) {
    slot?.()
    // The answer is an error, not a stream: what the function started stops now (a timer that
    // sends on its channel, a subscription on its signal, a source a 429 never let start).
    void channel?.return()
    call.abort(error)
    if (source !== undefined) dispose(source)
    throw error
  }
  return respondJson(call, output)
}

/** Step 5 for a value: JSON with the contract's status, or 204 for `undefined`. */
export function respondJson(call: Call, output: unknown): CoreResponse {
  const { route, request } = call
  const headers = call.headers.seal()
  if (route.contract.kind === 'progressive') headers['vary'] = 'accept'
  if (output === undefined) return { status: 204, headers, body: undefined }
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

async function validated(
  validator: Validator,
  value: unknown,
  toError: (issues: Issue[]) => WireError,
): Promise<unknown> {
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
