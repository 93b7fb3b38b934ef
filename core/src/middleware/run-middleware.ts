import type { CoreResponse } from '../adapter/types'
import type { Services, Session } from '../app/register'
import type { RequestInfo } from '../errors/request-info'
import { ResponseHeaders } from '../http/respond'
import type { Observation } from '../observe/observation'
import type { ObservedRoute } from '../observe/observer'
import type { MiddlewareContext, Middleware, Next } from './define-middleware'

/** The context before any middleware added to it: shared, never written. */
export const noVars: Readonly<Record<string, unknown>> = Object.freeze({})

/** What the middleware of one request see. */
export interface LayerParts {
  request: RequestInfo
  route: ObservedRoute
  services: Services
  session: Session | undefined
  observation: Observation
}

/** The rest of the pipeline after the middleware: read input, call, respond. */
export type Inner = (vars: Readonly<Record<string, unknown>>) => Promise<CoreResponse>

/**
 * Runs a route's middleware, onion-style, around `inner`. Each layer gets one `next`; calling
 * it twice, or returning something that is not what it resolved to, is the app's bug (a 500).
 */
export function runMiddleware(
  chain: readonly Middleware[],
  parts: LayerParts,
  inner: Inner,
): Promise<CoreResponse> {
  const ctx = new LayerContext(parts)
  const dispatch = async (index: number): Promise<CoreResponse> => {
    const layer = chain[index]
    if (layer === undefined) return inner(ctx.vars)
    let calls = 0
    const next = ((add?: object) => {
      if (calls++ > 0)
        return Promise.reject(new Error(`sluice: middleware "${layer.name}" called next() twice`))
      if (add !== undefined) ctx.vars = { ...ctx.vars, ...add }
      return dispatch(index + 1)
    }) as Next
    const answer: unknown = await layer.handle(ctx, next)
    if (calls === 0 || typeof answer !== 'object' || answer === null || !('body' in answer)) {
      throw new Error(
        `sluice: middleware "${layer.name}" must return what next() resolved to, or throw a WireError to answer`,
      )
    }
    return answer as CoreResponse
  }
  return dispatch(0)
}

// One per request, shared by its layers: `vars` grows as each layer passes context on.
class LayerContext implements MiddlewareContext {
  readonly request: MiddlewareContext['request']
  readonly route: MiddlewareContext['route']
  readonly services: MiddlewareContext['services']
  readonly session: Session | undefined
  vars: MiddlewareContext['vars'] = noVars
  private readonly observation: Observation
  private checked: ResponseHeaders | undefined

  constructor(parts: LayerParts) {
    this.request = parts.request
    this.route = parts.route
    this.services = parts.services
    this.session = parts.session
    this.observation = parts.observation
  }

  setHeader(name: string, value: string | readonly string[]): void {
    // The same checks as `ctx.setHeader` (token names, no CR/LF/NUL), into the observation.
    ;(this.checked ??= new ResponseHeaders()).add(name, value)
    ;(this.observation.headers ??= {})[name.toLowerCase()] = typeof value === 'string' ? value : [...value]
  }

  onEvent(listener: Parameters<MiddlewareContext['onEvent']>[0]): void {
    this.observation.onEvent(listener)
  }

  onEnd(listener: Parameters<MiddlewareContext['onEnd']>[0]): void {
    this.observation.onEnd(listener)
  }
}
