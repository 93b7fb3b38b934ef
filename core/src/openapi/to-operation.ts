import type {
  OperationObject,
  ParameterObject,
  ResponseObject,
  SchemaObject,
  SecurityRequirementObject,
} from 'openapi3-ts/oas32'
import type { Route } from '../app/wire-http'
import type { SchemaSide } from '../schema/to-json-schema'
import { toErrorRef, toErrorStatuses, type ErrorStatus } from './error-responses'
import { toInputParts, toTemplatedPath } from './input-parameters'
import { toRouteKind, type RouteKind } from '../app/route-kind'
import { eventIdPattern } from '../stream/with-event'
import { pascal, type JsonObject, type SchemaComponents } from './schema-components'
import { toEventStreamMedia, type OpenAPIVersion, type StreamData } from './stream-schemas'

/** What one operation needs besides its route. */
export interface OperationContext {
  version: OpenAPIVersion
  components: SchemaComponents
  /** The requirement `auth: true` routes get. */
  security: SecurityRequirementObject[]
}

/** An operation with what the document needs to know about it. */
export interface OperationResult {
  path: string
  method: string
  operation: OperationObject
  kind: RouteKind
  errors: ErrorStatus[]
}

const lastEventId: ParameterObject = {
  name: 'Last-Event-ID',
  in: 'header',
  required: false,
  description: 'Sent by a reconnecting client; the function gets it as `lastEventId` to resume after it.',
  schema: { type: 'string', pattern: eventIdPattern.source },
}

/** One route as an OpenAPI operation: docs, parameters, body, responses, security. */
export function toOperation(route: Route, operationId: string, context: OperationContext): OperationResult {
  const { components } = context
  const schema = (side: SchemaSide, key: 'input' | 'event' | 'output'): JsonObject | undefined => {
    const source = route.func[key]
    return source === undefined
      ? undefined
      : components.convert(source, side, pascal(operationId) + pascal(key))
  }
  const input = schema('input', 'input')
  const event = schema('output', 'event')
  const output = schema('output', 'output')
  const kind = toRouteKind(route)
  const { path, params } = toTemplatedPath(route.path)
  const { parameters, requestBody } = toInputParts(route.method, params, input, components)
  if (kind !== 'json') parameters.push(lastEventId)

  const operation: OperationObject = { operationId }
  const { docs } = route
  if (docs?.summary !== undefined) operation.summary = docs.summary
  const description = docs?.description ?? route.func.description
  if (description !== undefined) operation.description = description
  if (docs?.tags !== undefined && docs.tags.length > 0) operation.tags = [...docs.tags]
  if (docs?.deprecated === true) operation.deprecated = true
  if (parameters.length > 0) operation.parameters = parameters
  if (requestBody !== undefined) operation.requestBody = requestBody

  const errors = toErrorStatuses({
    input: input !== undefined,
    body: requestBody !== undefined,
    auth: route.auth,
  })
  operation.responses = { '200': toSuccess(kind, event, output, context.version) }
  for (const status of errors) operation.responses[String(status)] = toErrorRef(status)
  if (route.auth) operation.security = context.security
  return { path, method: route.method.toLowerCase(), operation, kind, errors }
}

// A 204 (a function that returned `undefined`) cannot be known without running it, so only
// the 200 is documented.
function toSuccess(
  kind: RouteKind,
  event: JsonObject | undefined,
  output: JsonObject | undefined,
  version: OpenAPIVersion,
): ResponseObject {
  const json = { schema: (output ?? {}) as SchemaObject }
  if (kind === 'json')
    return { description: 'The value the function returned, as JSON.', content: { 'application/json': json } }
  // On a progressive route the function's return value is the first message, then what it
  // sends on its channel; `channel.close()` without a value sends `done` with null.
  const data: StreamData =
    kind === 'stream'
      ? { message: event, done: output }
      : { message: eitherOf(output, event), done: output && { anyOf: [output, { type: 'null' }] } }
  const stream = toEventStreamMedia(version, data)
  if (kind === 'stream')
    return { description: 'A stream of Server-Sent Events.', content: { 'text/event-stream': stream } }
  return {
    description:
      'The value the function returned, as JSON; with `Accept: text/event-stream`, a stream of ' +
      'Server-Sent Events: that value first, then the events the function sends.',
    content: { 'application/json': json, 'text/event-stream': stream },
  }
}

function eitherOf(a: JsonObject | undefined, b: JsonObject | undefined): JsonObject | undefined {
  if (a === undefined || b === undefined) return undefined
  return JSON.stringify(a) === JSON.stringify(b) ? a : { anyOf: [a, b] }
}
