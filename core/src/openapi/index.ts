/** The OpenAPI export: `toOpenAPI(app)`, and the rule that tells streams from JSON routes. */
export { toOpenAPI } from './to-openapi'
export type { OpenAPIOptions, OpenAPIVersion, StreamSchemaStyle } from './to-openapi'
export { toRouteKind } from '../app/route-kind'
export type { RouteKind } from '../app/route-kind'
