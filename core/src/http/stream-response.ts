import type { CoreRequest, CoreResponse } from '../adapter/types'
import type { App } from '../app/create-app'
import type { FunctionContext } from '../app/define-function'
import type { Route } from '../app/wire-http'
import type { Validator } from '../schema/validate'
import type { Observation } from '../observe/observation'
import type { ChannelQueue } from '../stream/channel'
import { encodeEvent, encodeJson } from '../stream/encode'
import { EventStream } from '../stream/event-stream'
import type { AbortWatch, EventStreamOptions } from '../stream/event-stream-options'
import { endReason } from '../stream/end-reason'
import { toStreamHeaders, type ResponseHeaders } from './respond'

/** The context object every function receives, as the handler builds it. */
export type Context = FunctionContext<unknown, unknown, unknown>

/** One call in progress: what its stream response needs to know. */
export interface Call {
  app: App
  route: Route
  request: CoreRequest
  ctx: Context
  /** Aborts `ctx.signal`. */
  abort: (reason: unknown) => void
  /** Tells the stream of an abort without making `ctx.signal` (which costs an AbortController). */
  aborts: AbortWatch
  /** Headers the function set with `ctx.setHeader`. */
  headers: ResponseHeaders
  /** Frees the stream's concurrency slot (`limits.maxStreams`); called once the stream ends. */
  release: () => void
  /** A progressive route's channel, when the client asked for a stream. */
  channel: ChannelQueue<unknown, unknown> | undefined
  /** Names the session for `limits.maxStreamsPerSession`. */
  sessionKey: string | undefined
  /** The request's observers (logs, spans, middleware hooks), told of each event and the end. */
  observation: Observation | undefined
}

/**
 * A generator's stream. It runs to its first step before the headers go out (bounded by
 * `openWaitMs`), so a throw before the first yield is a real status, not a 200 stream.
 */
export async function toGeneratorResponse(
  call: Call,
  generator: AsyncIterator<unknown, unknown>,
): Promise<CoreResponse> {
  const { route, request, abort } = call
  const headers = toStreamHeaders(route, call.headers.seal())
  if (request.method === 'HEAD') {
    // Not started yet, so return() completes it without running any of its body.
    await generator.return?.(undefined)
    abort(endReason('HEAD', 'HEAD request'))
    call.release()
    return { status: 200, headers, body: undefined }
  }
  const stream = new EventStream(generator, streamOptions(call))
  const failed = await stream.begin(route.stream.openWaitMs)
  if (failed !== undefined) {
    abort(failed.error)
    call.release()
    throw failed.error
  }
  return { status: 200, headers, body: stream }
}

/** A progressive route's stream: the function's value first, then what the channel sends. */
export function toChannelResponse(
  call: Call,
  channel: ChannelQueue<unknown, unknown>,
  initial: unknown,
): CoreResponse {
  const { route, request, abort } = call
  const headers = toStreamHeaders(route, call.headers.seal())
  if (request.method === 'HEAD') {
    void channel.return()
    abort(endReason('HEAD', 'HEAD request'))
    call.release()
    return { status: 200, headers, body: undefined }
  }
  // `close()` without a value sends `done` with null; only a value given is checked.
  const check = route.validate.output
  const validateOutput: Validator | undefined =
    check && ((value) => (value === undefined ? { ok: true, value } : check(value)))
  const options = streamOptions(call, encodeEvent(encodeJson(initial)), validateOutput)
  return { status: 200, headers, body: new EventStream(channel, options) }
}

// One literal with every field, never a spread plus extras: V8 gives such a copy a hidden
// class of its own (about 0.3 KiB), and every idle stream keeps its options.
function streamOptions(
  { app, route, request, ctx, abort, aborts, release, observation }: Call,
  initial?: string,
  validateOutput = route.validate.output,
): EventStreamOptions {
  const { heartbeatMs, retryMs, maxDurationMs } = route.stream
  return {
    heartbeatMs,
    retryMs,
    maxDurationMs,
    aborts,
    abort,
    initial,
    validateEvent: route.validate.event,
    validateKinds: route.validate.kinds,
    validateOutput,
    onError: app.options.onError,
    request: ctx.request,
    lifecycle: app.lifecycle,
    onFinish: release,
    slowConsumerMs: route.stream.slowConsumerMs,
    connection: request,
    maxEventBytes: route.stream.maxEventBytes,
    maxIdChars: app.options.limits.lastEventIdBytes,
    observer: observation,
  }
}
