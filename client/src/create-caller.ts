import type { RouteMethod, RouteSpec } from './build-request'
import { callJson } from './call-json'
import { streamEvents } from './stream-events'
import {
  resolveClient,
  type CallOptions,
  type ClientOptions,
  type OnEventOptions,
  type StreamCallOptions,
} from './options'
import { createStreamCall, type StreamCall } from './stream-call'

/** A method's parameters: the input (optional when `I` admits `undefined`), then the call's options. */
export type MethodArgs<I, Options> = undefined extends I
  ? [input?: I, options?: Options]
  : [input: I, options?: Options]

/** A plain route's method: resolves to the typed JSON answer. */
export type JsonMethod<I, O> = (...args: MethodArgs<I, CallOptions>) => Promise<O>

/** A streaming route's method: a `StreamCall`, or with `onEvent` a Promise of the `done` value. */
export interface StreamMethod<I, E, O> {
  (input: I, options: OnEventOptions<E>): Promise<O>
  (...args: MethodArgs<I, StreamCallOptions>): StreamCall<E, O>
}

/**
 * A progressive (`sse: true`) route's method: its JSON value, or through `.stream` that value
 * as the first event, then the route's events, then `done` (`null` unless the channel closed with a value).
 */
export type ProgressiveMethod<I, E, O> = JsonMethod<I, O> & { stream: StreamMethod<I, O | E, O | null> }

/** Makes a generated client's methods; the types come from the generated file, the behaviour from here. */
export interface Caller {
  json<I, O>(method: RouteMethod, path: string): JsonMethod<I, O>
  stream<I, E, O>(method: RouteMethod, path: string): StreamMethod<I, E, O>
  progressive<I, E, O>(method: RouteMethod, path: string): ProgressiveMethod<I, E, O>
}

/** Creates the method factory a generated `createClient` uses, over one set of client options. */
export function createCaller(options: ClientOptions): Caller {
  const client = resolveClient(options)

  const json = (route: RouteSpec) => (input?: unknown, callOptions?: CallOptions) =>
    callJson(client, route, input, callOptions)

  const stream =
    (route: RouteSpec) =>
    (input?: unknown, callOptions: StreamCallOptions = {}) => {
      const request = { client, route, input, options: callOptions }
      const call = createStreamCall((signal, state) => streamEvents(request, state, signal), callOptions)
      const { onEvent } = callOptions as Partial<OnEventOptions<unknown>>
      return onEvent === undefined ? call : call.run(onEvent)
    }

  // The implementations are untyped; the generated file states each method's types.
  return {
    json: (method, path) => json({ method, path }) as never,
    stream: (method, path) => stream({ method, path }) as never,
    progressive: (method, path) =>
      Object.assign(json({ method, path }), { stream: stream({ method, path }) }) as never,
  }
}
