import type { RequestInfo } from '../errors/request-info'
import type { WireError } from '../errors/wire-error'
import type { Infer, Schema } from '../schema/schema'
import type { Channel } from '../stream/channel'
import type { EventEnvelope } from '../stream/with-event'
import type { AddedVars, AnyMiddleware, Vars } from '../middleware/define-middleware'

import type { Services, Session } from './register'

export type { Register, Services, Session } from './register'

export type { RequestInfo } from '../errors/request-info'

export type { Channel } from '../stream/channel'

/** An error code a function may throw: its HTTP status and the schema of its `details`. */
export interface ErrorSpec {
  /** Default: the status table's entry for the code, else 500. */
  status?: number
  /** The schema of the error's `details`; without it the error carries none. */
  details?: Schema
}

/** The error codes a function declares, each with its status and details schema. */
export type ErrorSpecs = Record<string, ErrorSpec>

/** A success status a JSON function may declare: 201 (created; set `Location`) or 202 (accepted). */
export type SuccessStatus = 200 | 201 | 202

// `details` is required when the code declares a schema for it, and absent otherwise.
type DetailsArgs<S> = S extends { details: infer D } ? [details: Infer<D>] : []

/** Makes a declared error: `throw error('NOT_FOUND', 'No such job', { jobId })`. */
export type ErrorFactory<EM> = <C extends keyof EM & string>(
  code: C,
  message: string,
  ...details: DetailsArgs<EM[C]>
) => WireError

/** `session` as a function sees it: never `undefined` once it declares `auth: true`. */
export type SessionFor<A extends boolean, S = Session> = true extends A
  ? false extends A
    ? S | undefined
    : S
  : S | undefined

/**
 * The event kinds a function may declare, name -> schema of its data. `done` and `error` are
 * sluice's own; `message` is the SSE default type, what a value yielded without a name is.
 */
export type EventSchemas = Record<string, Schema> & { done?: never; error?: never }

/** One received event of a function that declares `events`: its kind, typed data and id. */
export type KindEvent<K extends string = string, D = unknown> = { event: K; data: D; id?: string }

/** What a function that declares `events` may yield or send: `withEvent({ event: kind }, data)` per kind. */
export type KindYield<EVS> = string extends keyof EVS
  ? // Not inferred yet (the constraint itself): inferring from every possible schema would be
    // "excessively deep", and nothing is known to check against.
    unknown
  : {
      [K in keyof EVS & string]:
        | EventEnvelope<Infer<EVS[K]>, K>
        // `message` is the SSE default: a bare value, or an envelope without a name, is that kind.
        | (K extends 'message' ? Infer<EVS[K]> | EventEnvelope<Infer<EVS[K]>, undefined> : never)
    }[keyof EVS & string]

/** The events a client receives from a function that declares `events`, discriminated by `event`. */
export type KindEvents<EVS> = string extends keyof EVS
  ? KindEvent
  : { [K in keyof EVS & string]: KindEvent<K, Infer<EVS[K]>> }[keyof EVS & string]

/** The one context object a function receives; `S` is what `channel.send` takes. */
export interface FunctionContext<
  I,
  E,
  O,
  A extends boolean = boolean,
  EM = ErrorSpecs,
  V = Vars,
  S = E | EventEnvelope<E>,
> {
  /** Path params, query and JSON body, merged and validated. */
  input: I
  services: Services
  /** Whatever `authenticate` returned; never `undefined` when the function declares `auth: true`. */
  session: SessionFor<A>
  /** Makes one of the function's declared errors (`errors`), with its status and typed details. */
  error: ErrorFactory<EM>
  /** Aborts when the client leaves, the stream hits `maxDurationMs`, or the app shuts down. */
  signal: AbortSignal
  /** The `Last-Event-ID` the client sent when it reconnected. */
  lastEventId: string | undefined
  /** Present only on an `sse: true` route when the client asked for `text/event-stream`. */
  channel: Channel<E, O, S> | undefined
  request: RequestInfo
  /** What middleware added: the app's (`Register`'s `vars`) and the function's own `use`. */
  vars: V
  /**
   * Sets a response header before the first byte (an array sends one line per value, as
   * Set-Cookie needs). Throws a TypeError for an invalid name or value, or once sent.
   */
  setHeader: (name: string, value: string | readonly string[]) => void
}

/** A generator that streams `E` (optionally with SSE fields) and returns `O`. */
export type EventGenerator<E, O> = AsyncGenerator<E | EventEnvelope<E>, O, undefined>

type YieldOf<R> =
  R extends AsyncGenerator<infer Y, unknown, never> ? (Y extends EventEnvelope<infer D> ? D : Y) : never
type ResultOf<R> = R extends AsyncGenerator<unknown, infer T, never> ? T : Awaited<R>

// A value that is not a stream: without an output schema a function may return anything but
// an async iterable (which would stream, and so must match the event schema instead).
// The two object members cover interfaces and object literals (the index signature keeps
// excess-property checks from firing on literal returns).
type NotStream =
  | string
  | number
  | boolean
  | null
  | undefined
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- `() => {}` returns void
  | void
  | (object & { [Symbol.asyncIterator]?: undefined })
  | { [key: string]: unknown; [Symbol.asyncIterator]?: undefined }

/**
 * What a function may return, given its schemas: a value (or promise) matching `output`, or
 * a generator whose yields match `event` and whose return matches `output`.
 */
export type FunctionResult<ES, OS, EVS = undefined> =
  | ([OS] extends [undefined] ? NotStream | Promise<NotStream> : Infer<OS> | Promise<Infer<OS>>)
  | AsyncGenerator<YieldFor<ES, EVS>, Infer<OS>>

// What a generator may yield: its kinds when it declares `events`, else the `event` schema's values.
type YieldFor<ES, EVS> = [EVS] extends [undefined] ? Infer<ES> | EventEnvelope<Infer<ES>> : KindYield<EVS>

/** What `defineFunction` takes: optional schemas and the function itself. */
export interface FunctionDefinition<
  IS,
  ES,
  OS,
  R,
  A extends boolean = false,
  EM extends ErrorSpecs = ErrorSpecs,
  U extends readonly AnyMiddleware[] = [],
  EVS = undefined,
> {
  /** Validates params, query and body merged; without it `input` is the raw merged object. */
  input?: IS
  /** Validates every yielded or sent value. */
  event?: ES
  /**
   * Several named event kinds instead of one `event` schema: `{ progress: Progress, log: LogLine }`.
   * Yield `withEvent({ event: 'log' }, line)`; each is checked against its kind's schema.
   */
  events?: EVS
  /** Validates the returned value (JSON answer or `done` event). */
  output?: OS
  /** Shown in generated docs. */
  description?: string
  /** Needs a session: `ctx.session` is then never `undefined`, and wiring it with `auth: false` throws. */
  auth?: A
  /** The success status of a JSON answer: 201 (set `Location` with `ctx.setHeader`) or 202. Default 200. */
  status?: SuccessStatus
  /** The `WireError` codes it may throw (through `ctx.error`), each with a status and a details schema. */
  errors?: EM
  /** Middleware around this function, after the app's and the route's; what they add is `ctx.vars`. */
  use?: U
  // Without an `event` schema, a progressive route's `channel.send` takes the output type: the
  // usual case sends later versions of the value the function returned.
  func: (
    ctx: FunctionContext<
      Infer<IS, Record<string, unknown>>,
      Infer<ES, Infer<OS>>,
      Infer<OS>,
      A,
      EM,
      Vars & AddedVars<U>,
      [EVS] extends [undefined] ? Infer<ES, Infer<OS>> | EventEnvelope<Infer<ES, Infer<OS>>> : KindYield<EVS>
    >,
  ) => R
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no declared codes
type NoErrors = {}
type DetailsOf<S> = S extends { details: infer D } ? Infer<D> : undefined

/** A defined function; carries its inferred types for wiring and client generation. */
export interface SluiceFunction<I = unknown, E = unknown, O = unknown, EM = ErrorSpecs> {
  readonly input?: Schema
  readonly event?: Schema
  readonly events?: Readonly<Record<string, Schema>>
  readonly output?: Schema
  readonly description?: string
  readonly auth?: boolean
  readonly status?: SuccessStatus
  readonly errors?: ErrorSpecs
  readonly use?: readonly AnyMiddleware[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any context: the function's own types differ
  readonly func: (ctx: any) => unknown
  /** Phantom types for tooling; never set at run time. */
  readonly '~types'?: { input: I; event: E; output: O; errors: EM }
}

/** Any defined function, whatever its types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = SluiceFunction<any, any, any, any>

/**
 * Defines a function: a typed identity helper. Types of `input`, yielded values (per kind with
 * `events`), the return value and `channel.send` come from the schemas, or from the function.
 */
export function defineFunction<
  IS extends Schema | undefined = undefined,
  ES extends Schema | undefined = undefined,
  OS extends Schema | undefined = undefined,
  EVS extends EventSchemas | undefined = undefined,
  R extends FunctionResult<ES, OS, EVS> = FunctionResult<ES, OS, EVS>,
  A extends boolean = false,
  const EM extends ErrorSpecs = NoErrors,
  const U extends readonly AnyMiddleware[] = [],
>(
  definition: FunctionDefinition<IS, ES, OS, R, A, EM, U, EVS>,
): SluiceFunction<
  Infer<IS, Record<string, unknown>>,
  [EVS] extends [undefined] ? ([ES] extends [undefined] ? YieldOf<R> : Infer<ES>) : KindEvents<EVS>,
  [OS] extends [undefined] ? ResultOf<R> : Infer<OS>,
  { [C in keyof EM]: DetailsOf<EM[C]> }
> &
  // Visible to `wireHTTP`, which then refuses `auth: false` as a type error too.
  (true extends A ? { readonly auth: true } : unknown) {
  return definition as never
}
