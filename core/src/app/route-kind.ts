import type { Route } from './wire-http'
import type { RouteKind } from './route-contract'

export type { RouteKind } from './route-contract'

/** How a route answers, as `wireHTTP` decided it (`route.contract.kind`). */
export function toRouteKind(route: Route): RouteKind {
  return route.contract.kind
}
