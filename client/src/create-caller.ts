import type { RouteMethod, RouteSpec } from './build-request'
import { callJson } from './call-json'
import { streamEvents } from './stream-events'
import {
  checkTimeout,
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

/** The error codes a method's function declares, code -> details type; never set at run time. */
export interface DeclaredErrors<Errs> {
  readonly '~errors'?: Errs
}

/** A plain route's method: resolves to the typed JSON answer. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
export type JsonMethod<I, O, Errs = {}> = ((...args: MethodArgs<I, CallOptions>) => Promise<O>) &
  DeclaredErrors<Errs>

/** A streaming route's method: a `StreamCall`, or with `onEvent` a Promise of the `done` value. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
export interface StreamMethod<I, E, O, Errs = {}> extends DeclaredErrors<Errs> {
  (input: I, options: OnEventOptions<E>): Promise<O>
  (...args: MethodArgs<I, StreamCallOptions>): StreamCall<E, O>
}

/**
 * A progressive (`sse: true`) route's method: its JSON value, or through `.stream` that value
 * as the first event, then the route's events, then `done` (`null` unless the channel closed with a value).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
export type ProgressiveMethod<I, E, O, Errs = {}> = JsonMethod<I, O, Errs> & {
  stream: StreamMethod<I, O | E, O | null, Errs>
}

/** One event of a function that declares several kinds (`events`): its name, typed data and last id. */
export type KindEvent<K extends string = string, D = unknown> = { event: K; data: D; id?: string }

/**
 * `onEvent` of a function with several kinds, as Piko's: `(data, event)`, `data` narrowed by `event`.
 * (TypeScript narrows such a pair only when the callback takes both, so there is no third `id`.)
 */
export type KindCallback<E> = (
  ...args: E extends KindEvent<infer K, infer D> ? [data: D, event: K] : never
) => unknown

/** Stream call options with a kinds `onEvent`: the call then returns a Promise of the `done` value. */
export interface OnKindOptions<E> extends StreamCallOptions {
  /** Called with every event's data and name in order; a returned promise is awaited before the next. */
  onEvent: KindCallback<E>
}

/**
 * A streaming route whose function declares several kinds: a `StreamCall` of `{ event, data, id }`
 * (discriminated by `event`), or with `onEvent(data, event)` a Promise of the `done` value.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
export interface EventsMethod<I, E extends KindEvent, O, Errs = {}> extends DeclaredErrors<Errs> {
  (input: I, options: OnKindOptions<E>): Promise<O>
  (...args: MethodArgs<I, StreamCallOptions>): StreamCall<E, O>
}

/** A progressive route with several kinds: its value is the `message` kind of the stream, then the kinds. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
export type ProgressiveEventsMethod<I, E extends KindEvent, O, Errs = {}> = JsonMethod<I, O, Errs> & {
  stream: EventsMethod<I, KindEvent<'message', O> | E, O | null, Errs>
}

/** Makes a generated client's methods; the types come from the generated file, the behaviour from here. */
export interface Caller {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
  json<I, O, Errs = {}>(method: RouteMethod, path: string): JsonMethod<I, O, Errs>
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
  stream<I, E, O, Errs = {}>(method: RouteMethod, path: string): StreamMethod<I, E, O, Errs>
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
  progressive<I, E, O, Errs = {}>(method: RouteMethod, path: string): ProgressiveMethod<I, E, O, Errs>
  /** A stream whose function declares `kinds`; an event of another name is skipped. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
  events<I, E extends KindEvent, O, Errs = {}>(
    method: RouteMethod,
    path: string,
    kinds: readonly string[],
  ): EventsMethod<I, E, O, Errs>
  /** A progressive route whose function declares `kinds` (`message`, its value, is added). */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
  progressiveEvents<I, E extends KindEvent, O, Errs = {}>(
    method: RouteMethod,
    path: string,
    kinds: readonly string[],
  ): ProgressiveEventsMethod<I, E, O, Errs>
}

/** Creates the method factory a generated `createClient` uses, over one set of client options. */
export function createCaller(options: ClientOptions): Caller {
  const client = resolveClient(options)

  const json = (route: RouteSpec) => (input?: unknown, callOptions?: CallOptions) =>
    callJson(client, route, input, callOptions)

  const stream =
    (route: RouteSpec, kinds?: ReadonlySet<string>) =>
    (input?: unknown, callOptions: StreamCallOptions = {}) => {
      checkTimeout(callOptions.inactivityTimeoutMs)
      const request = { client, route, input, options: callOptions, kinds }
      const call = createStreamCall((signal, state) => streamEvents(request, state, signal), callOptions)
      const { onEvent } = callOptions as Partial<OnEventOptions<unknown>>
      if (onEvent === undefined) return call
      if (kinds === undefined) return call.run(onEvent)
      const spread = onEvent as (data: unknown, event: string) => unknown
      return call.run((item) => spread((item as KindEvent).data, (item as KindEvent).event))
    }

  // The implementations are untyped; the generated file states each method's types.
  return {
    json: (method, path) => json({ method, path }) as never,
    stream: (method, path) => stream({ method, path }) as never,
    progressive: (method, path) =>
      Object.assign(json({ method, path }), { stream: stream({ method, path }) }) as never,
    events: (method, path, kinds) => stream({ method, path }, new Set(kinds)) as never,
    progressiveEvents: (method, path, kinds) =>
      Object.assign(json({ method, path }), {
        stream: stream({ method, path }, new Set(['message', ...kinds])),
      }) as never,
  }
}
