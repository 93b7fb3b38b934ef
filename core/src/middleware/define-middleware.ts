import type { Register, Services, Session } from '../app/register'
import type { RequestInfo } from '../errors/request-info'
import type { ObservedEnd, ObservedEvent, ObservedRoute } from '../observe/observer'

/**
 * Context every function sees in `ctx.vars` without declaring it, for app-level middleware:
 * `declare module '@sluice/core' { interface Register { vars: { requestId: string } } }`
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- nothing registered
export type Vars = Register extends { vars: infer V } ? V : {}

/**
 * What `next()` resolves to: the answer decided by what runs after the middleware (a stream's
 * headers, not its end: see `onEnd`). Return it, or throw a `WireError` to answer instead.
 */
export interface Answer<A = unknown> {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[]>>
  /** Phantom: the context this middleware adds, read by `defineFunction({ use })`. */
  readonly '~adds'?: A
}

/** Runs the rest of the chain; `add` joins `ctx.vars` for everything after this middleware. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- nothing added
export type Next = <A extends object = {}>(add?: A) => Promise<Answer<A>>

/** What a middleware sees: the request before its input is read, and hooks on the answer. */
export interface MiddlewareContext {
  readonly request: RequestInfo
  /** The route: `path` is its template (`/jobs/:jobId`). */
  readonly route: ObservedRoute
  readonly services: Services
  /** Whatever `authenticate` returned (an `auth: true` route has a session by now). */
  readonly session: Session | undefined
  /** What earlier middleware added. */
  readonly vars: Vars & Readonly<Record<string, unknown>>
  /** Sets a response header on every answer, errors included; the function's own headers win. */
  setHeader(name: string, value: string | readonly string[]): void
  /** Called with each event a stream sends (after its schema's validation). */
  onEvent(listener: (event: ObservedEvent) => void): void
  /** Called once the answer has ended: a JSON answer when decided, a stream when it ends. */
  onEnd(listener: (end: ObservedEnd) => void): void
}

/** A defined middleware; `A` is the context it adds to `ctx.vars`. */
export interface Middleware<A = unknown> {
  readonly name: string
  readonly handle: (ctx: MiddlewareContext, next: Next) => Promise<Answer<A>>
}

/** Any middleware, whatever it adds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMiddleware = Middleware<any>

/** The options of `defineMiddleware`. */
export interface MiddlewareDefinition<A> {
  /** Named in wiring errors and logs. */
  name?: string
  /** Runs around what follows: `return next({ user })` adds `user` to `ctx.vars`, typed. */
  handle: (ctx: MiddlewareContext, next: Next) => Promise<Answer<A>>
}

/**
 * Defines a middleware: onion-style around the function, for JSON answers and streams alike.
 * The context it passes to `next` is inferred and typed in the functions that `use` it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- nothing added
export function defineMiddleware<A = {}>(definition: MiddlewareDefinition<A>): Middleware<A> {
  return { name: definition.name ?? (definition.handle.name || 'middleware'), handle: definition.handle }
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never

// A middleware typed without what it adds (`Middleware`, `Middleware<unknown>`) adds nothing
// known: `unknown` would swallow the rest of the intersection.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type AddsOf<M> = M extends Middleware<infer A> ? (unknown extends A ? {} : A) : never

/** The context a list of middleware adds, all of it (`unknown` for none). */
export type AddedVars<U extends readonly AnyMiddleware[]> = UnionToIntersection<AddsOf<U[number]>>
