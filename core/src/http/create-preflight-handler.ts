import type { CoreRequest, CoreResponse } from '../adapter/types'
import type { App } from '../app/create-app'
import { preflight, withCors } from './cors'

/** The preflight answer for one wired path, for a framework that routes `OPTIONS` itself (Fastify). */
export function createPreflightHandler(
  app: App,
  path: string,
): ((request: CoreRequest) => Promise<CoreResponse>) | undefined {
  const { cors } = app.options
  if (cors === undefined) return undefined
  const methods = new Set<string>(
    app.routes.filter((route) => route.path === path).map((route) => route.method),
  )
  if (methods.has('GET')) methods.add('HEAD')
  const allow = [...methods]
  return withCors(cors, (request: CoreRequest) => Promise.resolve(preflight(cors, request, allow)))
}
