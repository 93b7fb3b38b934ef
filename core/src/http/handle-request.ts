import type { CoreHandler, CoreRequest, CoreResponse } from '../adapter/types'
import type { App } from '../app/create-app'
import type { FunctionContext, RequestInfo } from '../app/define-function'
import type { Route } from '../app/wire-http'
import { toWireError, WireError } from '../errors/wire-error'
import type { Issue, Validator } from '../schema/validate'
import { ChannelQueue } from '../stream/channel'
import { encodeEvent, encodeJson } from '../stream/encode'
import { EventStream, toStep, type Step } from '../stream/event-stream'
import { mergeInput, parseJsonBody, parseQuery } from './input'
import { acceptsEventStream, hasBody } from './negotiate'
import { toErrorResponse, toJsonResponse, toStreamHeaders } from './respond'

type Context = FunctionContext<unknown, unknown, unknown>

/**
 * Core's request handler: routing, auth, input, the call, and the JSON or SSE response.
 * Everything that fails before the first byte becomes a real status with a JSON error body.
 */
export function createHandler(app: App): CoreHandler {
  return async (request) => {
    const { path, search } = splitUrl(request.url)
    const match = app.router.find(request.method, path)
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
    const info: RequestInfo = { method: request.method, path, headers: request.headers, params: match.params }
    try {
      return await run(app, match.value, request, info, search)
    } catch (error) {
      const wire = toWireError(error)
      // The server's own bugs are logged: anything not a WireError, and broken output contracts.
      if (wire !== error || wire.code === 'INVALID_OUTPUT') app.options.onError(error, info)
      // The rest of an oversized body is never read, so the connection cannot be reused.
      return toErrorResponse(wire, wire.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : {})
    }
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
  const query = parseQuery(search)
  const body = hasBody(request.method)
    ? parseJsonBody(await request.body(options.limits.bodyBytes), request.headers['content-type'])
    : undefined
  const input = await validated(route.validate.input, mergeInput(info.params, query, body), invalidInput)

  const controller = new AbortController()
  const abort = (reason: unknown): void => controller.abort(reason)
  if (request.signal.aborted) abort(request.signal.reason)
  else request.signal.addEventListener('abort', () => abort(request.signal.reason), { once: true })
  const overflow = new WireError('SLOW_CONSUMER', 'The client did not read the stream fast enough')
  const channel =
    route.sse && acceptsEventStream(request.headers.accept)
      ? new ChannelQueue<unknown, unknown>(route.stream.maxQueuedEvents, () => abort(overflow))
      : undefined
  const ctx: Context = {
    input,
    services: options.services,
    session,
    signal: controller.signal,
    lastEventId: request.headers['last-event-id'],
    channel,
    request: info,
  }
  const result = route.func.func(ctx)
  if (isAsyncIterable(result)) {
    return streamGenerator(app, route, request, ctx, result[Symbol.asyncIterator](), abort)
  }

  const value: unknown = await result
  const output = await validated(route.validate.output, value, invalidOutput)
  if (channel !== undefined) return streamChannel(app, route, request, ctx, channel, output, abort)
  const vary: Record<string, string> = route.sse ? { vary: 'accept' } : {}
  if (output === undefined) return { status: 204, headers: vary, body: undefined }
  const response = toJsonResponse(200, output, vary)
  if (request.method === 'HEAD') response.body = undefined
  return response
}

// A generator runs to its first step before the headers go out (bounded by `openWaitMs`),
// so a throw before the first yield is a real status rather than a 200 stream.
async function streamGenerator(
  app: App,
  route: Route,
  request: CoreRequest,
  ctx: Context,
  generator: AsyncIterator<unknown, unknown>,
  abort: (reason: unknown) => void,
): Promise<CoreResponse> {
  const headers = toStreamHeaders(route, request.httpVersion)
  if (request.method === 'HEAD') {
    // Not started yet, so return() completes it without running any of its body.
    await generator.return?.(undefined)
    abort(new WireError('HEAD', 'HEAD request'))
    return { status: 200, headers, body: undefined }
  }
  const first = toStep(generator.next())
  const step = await raceTimeout(first, route.stream.openWaitMs)
  if (step !== undefined && !step.ok) {
    abort(step.error)
    throw step.error
  }
  const stream = new EventStream(generator, { ...streamOptions(app, route, ctx, abort), first })
  return { status: 200, headers, body: stream }
}

function streamChannel(
  app: App,
  route: Route,
  request: CoreRequest,
  ctx: Context,
  channel: ChannelQueue<unknown, unknown>,
  initial: unknown,
  abort: (reason: unknown) => void,
): CoreResponse {
  const headers = toStreamHeaders(route, request.httpVersion)
  if (request.method === 'HEAD') {
    void channel.return()
    abort(new WireError('HEAD', 'HEAD request'))
    return { status: 200, headers, body: undefined }
  }
  // `close()` without a value sends `done` with null; only a value given is checked.
  const check = route.validate.output
  const validateOutput: Validator | undefined =
    check && ((value) => (value === undefined ? { ok: true, value } : check(value)))
  const options = { ...streamOptions(app, route, ctx, abort), validateOutput }
  return {
    status: 200,
    headers,
    body: new EventStream(channel, { ...options, initial: encodeEvent(encodeJson(initial)) }),
  }
}

function streamOptions(app: App, route: Route, ctx: Context, abort: (reason: unknown) => void) {
  const { heartbeatMs, retryMs, maxDurationMs } = route.stream
  return {
    heartbeatMs,
    retryMs,
    maxDurationMs,
    signal: ctx.signal,
    abort,
    validateEvent: route.validate.event,
    validateOutput: route.validate.output,
    onError: (error: unknown) => app.options.onError(error, ctx.request),
  }
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

function raceTimeout(promise: Promise<Step>, ms: number): Promise<Step | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
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
