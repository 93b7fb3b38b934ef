import type { WireError } from '../errors/wire-error'
import type { Coercer } from '../schema/coerce-input'
import type { Validator } from '../schema/validate'
import type { ResolvedOptions } from './app-options'
import type { AnyFunction } from './define-function'
import type { RouteContract } from './route-contract'
import type { Middleware } from '../middleware/define-middleware'

/** A wired route: its contract, and what the server needs to keep it (validators, stream settings). */
export interface Route {
  /** What the route promises; the server, the client generator and OpenAPI all read this. */
  readonly contract: RouteContract
  /** `contract.method` and `contract.path`, for runtimes that route natively (Fastify). */
  readonly method: RouteContract['method']
  readonly path: string
  readonly func: AnyFunction
  readonly stream: ResolvedOptions['sse']
  readonly validate: {
    input?: Validator
    event?: Validator
    output?: Validator
    /** One validator per declared kind (`events`); a kind not here is refused. */
    kinds?: ReadonlyMap<string, Validator>
  }
  /** Turns path and query strings into the input schema's types; absent when none needs it. */
  readonly coerce: Coercer | undefined
  /** `ctx.error`: makes a declared error with its status. */
  readonly error: (code: string, message: string, details?: unknown) => WireError
  /** The app's, the route's and the function's middleware, outermost first. */
  readonly middleware: readonly Middleware[]
}
