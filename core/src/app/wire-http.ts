import type { StreamOptions } from './app-options'
import type { App } from './create-app'
import type { AnyFunction } from './define-function'
import { createValidator, type Validator } from '../schema/validate'
import type { Schema } from '../schema/schema'
import { createCoercer } from '../schema/coerce-input'
import { toStatus } from '../errors/status-table'
import { WireError } from '../errors/wire-error'
import { checkWiring } from './check-wiring'
import { toDeclaredError, type DeclaredError, type RouteContract, type RouteDocs } from './route-contract'
import type { Route } from './route'
import { assignNames } from './route-names'
import type { AnyMiddleware, Middleware } from '../middleware/define-middleware'

export type { Route } from './route'

export type { RouteDocs } from './route-contract'

/** HTTP methods a function can be wired to. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** The one options object of `wireHTTP`. */
export interface WireOptions<F extends AnyFunction> {
  method: Method
  /** Path with `:param` segments, e.g. `/jobs/:jobId`. */
  route: string
  func: F
  /** The client method name and OpenAPI operationId; default derived from the path (`routeNames`). */
  name?: string
  /** Progressive enhancement (GET only): JSON for plain clients, a stream for SSE clients. */
  sse?: boolean
  /**
   * Require a session from `authenticate`; without one the answer is 401. Default: the
   * function's own `auth`; `false` on a function that declares `auth: true` throws.
   */
  auth?: F extends { readonly auth: true } ? true : boolean
  /** Stream settings for this route, over the app's. */
  stream?: StreamOptions
  docs?: RouteDocs
  /** Middleware for this route, after the app's and before the function's own `use`. */
  use?: readonly AnyMiddleware[]
}

/**
 * Wires a function to an HTTP method and path, deciding its contract once. Throws at once on
 * a wiring mistake, saying what to write instead (see docs/decisions.md, "Wiring mistakes").
 */
export function wireHTTP<F extends AnyFunction>(app: App, options: WireOptions<F>): void {
  const method = options.method.toUpperCase() as RouteContract['method']
  const checked = checkWiring({
    method,
    route: options.route,
    func: options.func,
    sse: options.sse === true,
    auth: options.auth,
  })
  const { func } = checked
  const errors = toErrors(func)
  const contract: RouteContract = {
    method,
    path: options.route,
    params: checked.params,
    name: options.name ?? '',
    kind: checked.kind,
    auth: checked.auth,
    status: func.status ?? 200,
    input: func.input,
    event: func.event,
    events: func.events,
    output: func.output,
    errors,
    description: func.description,
    docs: options.docs,
  }
  const base = app.options.sse
  const route: Route = {
    contract,
    method,
    path: options.route,
    func,
    stream: { ...base, ...defined(options.stream), headers: { ...base.headers, ...options.stream?.headers } },
    validate: {
      input: func.input && createValidator(func.input, { coerce: true }),
      event: func.event && createValidator(func.event, { coerce: false }),
      output: func.output && createValidator(func.output, { coerce: false }),
      kinds: func.events && toKindValidators(func.events),
    },
    coerce: func.input && createCoercer(func.input),
    error: toErrorFactory(errors),
    middleware: checkMiddleware(method, options.route, [
      ...app.options.use,
      ...(options.use ?? []),
      ...(func.use ?? []),
    ]),
  }
  // Names first: a clash throws before the router or the app has changed.
  const names = assignNames([...app.routes, route], options.name === undefined ? [] : [route])
  app.router.add(method, options.route, route)
  for (const [wired, name] of names) (wired.contract as { name: string }).name = name
  ;(app.routes as Route[]).push(route)
}

function toKindValidators(events: Readonly<Record<string, Schema>>): ReadonlyMap<string, Validator> {
  return new Map(
    Object.entries(events).map(([name, schema]) => [name, createValidator(schema, { coerce: false })]),
  )
}

function toErrors(func: AnyFunction): Record<string, DeclaredError> {
  const errors: Record<string, DeclaredError> = {}
  for (const [code, spec] of Object.entries(func.errors ?? {}))
    errors[code] = toDeclaredError(spec, toStatus(code))
  return errors
}

function toErrorFactory(errors: Record<string, DeclaredError>): Route['error'] {
  return (code, message, details) => {
    // Types keep undeclared codes out; plain JavaScript still gets the status table's answer.
    const status = errors[code]?.status
    return new WireError(code, message, { status, details })
  }
}

// `{ maxDurationMs: undefined }` means "not set here", so it must not replace the app's value.
function defined<T extends object>(options: T | undefined): Partial<T> {
  if (options === undefined) return {}
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>
}

function checkMiddleware(method: string, path: string, list: readonly Middleware[]): readonly Middleware[] {
  list.forEach((layer: Partial<Middleware> | undefined, index) => {
    if (typeof layer?.handle !== 'function') {
      throw new Error(
        `sluice: ${method} ${path}: use[${index}] is not a middleware; write defineMiddleware({ handle: async (ctx, next) => next() })`,
      )
    }
  })
  return list
}
