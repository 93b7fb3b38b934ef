import type { App, ResolvedOptions, StreamOptions } from './create-app'
import type { AnyFunction } from './define-function'
import { createValidator, type Validator } from '../schema/validate'

/** HTTP methods a function can be wired to. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** Documentation for a route, used by the OpenAPI export. */
export interface RouteDocs {
  summary?: string
  description?: string
  tags?: string[]
  deprecated?: boolean
}

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
  /** Require a session from `authenticate`; without one the answer is 401. */
  auth?: boolean
  /** Stream settings for this route, over the app's. */
  stream?: StreamOptions
  docs?: RouteDocs
}

/** A wired route with its validators compiled. */
export interface Route {
  readonly method: Uppercase<Method>
  readonly path: string
  readonly func: AnyFunction
  readonly name: string | undefined
  readonly sse: boolean
  readonly auth: boolean
  readonly stream: ResolvedOptions['sse']
  readonly docs: RouteDocs | undefined
  readonly validate: { input?: Validator; event?: Validator; output?: Validator }
}

/** Wires a function to an HTTP method and path. Throws at once on a wiring mistake. */
export function wireHTTP<F extends AnyFunction>(app: App, options: WireOptions<F>): void {
  const method = options.method.toUpperCase() as Uppercase<Method>
  if (options.sse === true && method !== 'GET') {
    throw new Error(`sluice: sse: true needs a GET route, not ${method} ${options.route}`)
  }
  if (!options.route.startsWith('/')) throw new Error(`sluice: route "${options.route}" must start with /`)
  const { func } = options
  const base = app.options.sse
  const route: Route = {
    method,
    path: options.route,
    func,
    name: options.name,
    sse: options.sse === true,
    auth: options.auth === true,
    stream: { ...base, ...defined(options.stream), headers: { ...base.headers, ...options.stream?.headers } },
    docs: options.docs,
    validate: {
      input: func.input && createValidator(func.input, { coerce: true }),
      event: func.event && createValidator(func.event, { coerce: false }),
      output: func.output && createValidator(func.output, { coerce: false }),
    },
  }
  app.router.add(method, options.route, route)
  ;(app.routes as Route[]).push(route)
}

// `{ maxDurationMs: undefined }` means "not set here", so it must not replace the app's value.
function defined<T extends object>(options: T | undefined): Partial<T> {
  if (options === undefined) return {}
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>
}
