import {
  OpenApiBuilder as OpenApiBuilder31,
  type OpenAPIObject as OpenAPIObject31,
  type ResponseObject,
  type SecuritySchemeObject as SecuritySchemeObject31,
} from 'openapi3-ts/oas31'
import {
  OpenApiBuilder as OpenApiBuilder32,
  type InfoObject,
  type OpenAPIObject as OpenAPIObject32,
  type PathItemObject,
  type SchemaObject,
  type SecurityRequirementObject,
  type SecuritySchemeObject,
  type ServerObject,
} from 'openapi3-ts/oas32'
import type { App } from '../app/create-app'
import { routeNames } from '../app/route-names'
import { errorBodySchema, errorSchema, toErrorComponents, type ErrorStatus } from './error-responses'
import { SchemaComponents } from './schema-components'
import { streamErrorEvent, type OpenAPIVersion, type StreamSchemaStyle } from './stream-schemas'
import { toOperation } from './to-operation'

export type { OpenAPIVersion, StreamSchemaStyle } from './stream-schemas'

/** The one options object of `toOpenAPI`. */
export interface OpenAPIOptions {
  /** `3.1` (default; the widest tool support) or `3.2` (streams described with `itemSchema`). */
  version?: OpenAPIVersion
  /** The document's `info` (title, version, description...); default `{ title: 'sluice app', version: '0.0.0' }`. */
  info?: InfoObject
  /** Where the API is served, e.g. `[{ url: 'https://api.example.com' }]`; default none. */
  servers?: ServerObject[]
  /**
   * What a stream's schema describes: `data` (what each event's `data` carries, which code
   * generators type) or `event` (the SSE fields, as the 3.2 specification models an item).
   * Default `data` for 3.1, `event` for 3.2. See docs/openapi.md.
   */
  streams?: StreamSchemaStyle
  /**
   * Security schemes; default `{ bearerAuth: { type: 'http', scheme: 'bearer' } }`. `authenticate`
   * is the app's own code, so the bearer scheme is only a guess: name the real one here.
   */
  securitySchemes?: Record<string, SecuritySchemeObject>
  /** The requirement of `auth: true` routes; default: any one of `securitySchemes`. */
  security?: SecurityRequirementObject[]
}

const defaultInfo: InfoObject = { title: 'sluice app', version: '0.0.0' }
const defaultSchemes: Record<string, SecuritySchemeObject> = {
  bearerAuth: { type: 'http', scheme: 'bearer', description: 'The session `authenticate` accepts.' },
}

// The part of openapi3-ts's builders used here, typed so that both versions' builders fit it.
interface Builder {
  addPath(path: string, item: PathItemObject): unknown
  addSchema(name: string, schema: SchemaObject): unknown
  addResponse(name: string, response: ResponseObject): unknown
  addSecurityScheme(name: string, scheme: SecuritySchemeObject31): unknown
  getSpec(): OpenAPIObject31 | OpenAPIObject32
}

/**
 * The app as an OpenAPI document: one operation per route (operationId from `routeNames`),
 * streams as `text/event-stream`, errors from the status table, `auth: true` as security.
 * Paths and operations keep wiring order, so the same app always gives the same document.
 */
export function toOpenAPI(app: App, options: OpenAPIOptions & { version: '3.2' }): OpenAPIObject32
export function toOpenAPI(app: App, options?: OpenAPIOptions & { version?: '3.1' }): OpenAPIObject31
export function toOpenAPI(app: App, options?: OpenAPIOptions): OpenAPIObject31 | OpenAPIObject32
export function toOpenAPI(app: App, options: OpenAPIOptions = {}): OpenAPIObject31 | OpenAPIObject32 {
  const version = options.version ?? '3.1'
  const streamStyle = options.streams ?? (version === '3.2' ? 'event' : 'data')
  // An own root document: the builders' default one carries empty sections and a placeholder info.
  const root = { info: options.info ?? defaultInfo, ...(options.servers && { servers: options.servers }) }
  const builder: Builder =
    version === '3.2'
      ? OpenApiBuilder32.create({ openapi: '3.2.0', ...root, paths: {} })
      : OpenApiBuilder31.create({ openapi: '3.1.1', ...root, paths: {} })
  const components = new SchemaComponents()
  components.add('Error', errorSchema)
  components.add('ErrorBody', errorBodySchema)
  components.add('StreamErrorEvent', streamErrorEvent)

  const schemes = options.securitySchemes ?? defaultSchemes
  const security = options.security ?? Object.keys(schemes).map((name) => ({ [name]: [] }))
  // With `authenticate`, a route without `auth: true` is public on purpose: it says so (`[]`).
  const authenticates = app.options.authenticate !== undefined || app.routes.some((r) => r.contract.auth)
  const context = { version, streams: streamStyle, components, security }
  const publicSecurity = authenticates ? [] : undefined
  const names = routeNames(app)
  const errors = new Set<ErrorStatus>()
  let streams = false
  let secured = false
  for (const route of app.routes) {
    const operationId = names.get(route) ?? route.path
    const result = toOperation(route, operationId, { ...context, publicSecurity })
    builder.addPath(result.path, { [result.method]: result.operation })
    for (const status of result.errors) errors.add(status)
    streams ||= result.kind !== 'json'
    secured ||= route.contract.auth
  }

  for (const [name, schema] of components.schemas) {
    // The SSE-fields error event is shared by the streams of the `event` style only.
    if (name !== 'StreamErrorEvent' || (streams && streamStyle === 'event')) builder.addSchema(name, schema)
  }
  for (const [name, response] of toErrorComponents(errors)) builder.addResponse(name, response)
  if (secured || options.securitySchemes !== undefined) {
    for (const [name, scheme] of Object.entries(schemes))
      builder.addSecurityScheme(name, scheme as SecuritySchemeObject31)
  }
  // A JSON copy: schemas used in two places stop being one shared object, so a YAML writer
  // emits no anchors and a caller's edit to one place does not change the other.
  return JSON.parse(JSON.stringify(builder.getSpec())) as OpenAPIObject31 | OpenAPIObject32
}
