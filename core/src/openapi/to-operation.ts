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
import type { RouteContract, RouteKind } from '../app/route-contract'
import { eventIdPattern } from '../stream/with-event'
import { pascal, type JsonObject, type SchemaComponents } from './schema-components'
import {
  STREAM_HEADERS,
  STREAM_TEXT,
  toEventStreamMedia,
  type EventKind,
  type OpenAPIVersion,
  type StreamData,
  type StreamSchemaStyle,
} from './stream-schemas'

/** What one operation needs besides its route. */
export interface OperationContext {
  version: OpenAPIVersion
  streams: StreamSchemaStyle
  components: SchemaComponents
  /** The requirement `auth: true` routes get. */
  security: SecurityRequirementObject[]
  /** The requirement of the other routes: `[]` (public) in an app with `authenticate`, else none. */
  publicSecurity: SecurityRequirementObject[] | undefined
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

/** One route's contract as an OpenAPI operation: docs, parameters, body, responses, security. */
export function toOperation(route: Route, operationId: string, context: OperationContext): OperationResult {
  const { components } = context
  const { contract } = route
  const schema = (side: SchemaSide, key: 'input' | 'event' | 'output'): JsonObject | undefined => {
    const source = contract[key]
    return source === undefined
      ? undefined
      : components.convert(source, side, pascal(operationId) + pascal(key))
  }
  const input = schema('input', 'input')
  const event = schema('output', 'event')
  const output = schema('output', 'output')
  // Several kinds: one schema each, named after the route and the kind.
  const kinds = Object.entries(contract.events ?? {}).map(([name, source]): EventKind => ({
    name: name === 'message' ? undefined : name,
    schema: components.convert(source, 'output', pascal(operationId) + pascal(name) + 'Event'),
  }))
  const { kind } = contract
  const { path, params } = toTemplatedPath(contract.path)
  const { parameters, requestBody } = toInputParts(contract.method, params, input, components)
  if (kind !== 'json') parameters.push(lastEventId)

  const { docs } = contract
  const operation: OperationObject = { operationId, summary: docs?.summary ?? toSummary(operationId) }
  const description = docs?.description ?? contract.description
  if (description !== undefined) operation.description = description
  if (docs?.tags !== undefined && docs.tags.length > 0) operation.tags = [...docs.tags]
  if (docs?.deprecated === true) operation.deprecated = true
  if (parameters.length > 0) operation.parameters = parameters
  if (requestBody !== undefined) operation.requestBody = requestBody

  const errors = toErrorStatuses({
    input: input !== undefined,
    body: requestBody !== undefined,
    auth: contract.auth,
  })
  const messages = kinds.length > 0 ? kinds : [{ name: undefined, schema: event }]
  operation.responses = { [String(contract.status)]: toSuccess(contract, messages, output, context) }
  for (const status of errors) operation.responses[String(status)] = toErrorRef(status)
  // Declared codes: each under its status, with its details schema, next to sluice's own.
  for (const [status, response] of toDeclaredResponses(contract, operationId, components)) {
    const own = operation.responses[status] as { $ref: string } | undefined
    operation.responses[status] = own === undefined ? response : withOwnCodes(response, own)
  }
  const security = contract.auth ? context.security : context.publicSecurity
  if (security !== undefined) operation.security = security
  return { path, method: contract.method.toLowerCase(), operation, kind, errors }
}

// One response per status the function declares codes for. A status that sluice documents
// too (a 400) lists sluice's codes by reference in its description and the declared ones in `oneOf`.
function toDeclaredResponses(
  contract: RouteContract,
  operationId: string,
  components: SchemaComponents,
): [string, ResponseObject][] {
  const byStatus = new Map<number, JsonObject[]>()
  for (const [code, declared] of Object.entries(contract.errors)) {
    const body: JsonObject = {
      type: 'object',
      required: declared.details === undefined ? ['code', 'message'] : ['code', 'message', 'details'],
      properties: {
        code: { const: code },
        message: { type: 'string' },
        ...(declared.details === undefined
          ? {}
          : {
              details: components.convert(
                declared.details,
                'output',
                pascal(operationId) + pascal(code.toLowerCase()),
              ),
            }),
      },
    }
    byStatus.set(declared.status, [...(byStatus.get(declared.status) ?? []), body])
  }
  return [...byStatus].map(([status, bodies]) => {
    const codes = bodies.map(
      (body) => `\`${(body['properties'] as { code: { const: string } }).code.const}\``,
    )
    const error = bodies.length === 1 ? bodies[0] : { oneOf: bodies }
    const schema = { type: 'object', required: ['error'], properties: { error } } as SchemaObject
    return [
      String(status),
      {
        description: `Declared by the function: ${codes.join(', ')}.`,
        content: { 'application/json': { schema } },
      },
    ]
  })
}

// A status sluice answers too (a declared 400): its own error body, or one of the declared ones.
function withOwnCodes(declared: ResponseObject, own: { $ref: string }): ResponseObject {
  const content = (declared.content?.['application/json'] as { schema: SchemaObject }).schema
  const schema = { oneOf: [{ $ref: '#/components/schemas/Error' }, content] }
  const description = `${declared.description} Else sluice's own codes: see ${own.$ref}.`
  return { description, content: { 'application/json': { schema } } }
}

// A 204 (a function that returned `undefined`) cannot be known without running it, so only
// the declared success status is documented.
function toSuccess(
  contract: RouteContract,
  messages: EventKind[],
  output: JsonObject | undefined,
  context: OperationContext,
): ResponseObject {
  const { kind } = contract
  const json = { schema: (output ?? {}) as SchemaObject }
  if (kind === 'json') {
    const response: ResponseObject = {
      description:
        contract.status === 202
          ? 'Accepted: the work goes on after this answer.'
          : 'The value the function returned, as JSON.',
      content: { 'application/json': json },
    }
    if (contract.status === 201) {
      response.description = 'Created: the value the function returned, as JSON.'
      response.headers = {
        Location: {
          description: 'Where the created resource is.',
          schema: { type: 'string' },
          required: true,
        },
      }
    }
    return response
  }
  // On a progressive route the function's return value is the first message, then what it
  // sends on its channel; `channel.close()` without a value sends `done` with null. With named
  // kinds the value is the `message` (wiring keeps that name free), the kinds follow.
  const [first] = messages
  const data: StreamData =
    kind === 'stream'
      ? { messages, done: output, kinds: contract.events !== undefined }
      : {
          messages:
            first?.name === undefined
              ? [{ name: undefined, schema: eitherOf(output, first?.schema) }]
              : [{ name: undefined, schema: output }, ...messages],
          done: output && { anyOf: [output, { type: 'null' }] },
          kinds: contract.events !== undefined,
        }
  const stream = toEventStreamMedia(context.version, context.streams, data)
  const headers = STREAM_HEADERS
  if (kind === 'stream') {
    return { description: STREAM_TEXT, headers, content: { 'text/event-stream': stream } }
  }
  return {
    description:
      'The value the function returned, as JSON; with `Accept: text/event-stream`, a stream of ' +
      `Server-Sent Events: that value first, then the events the function sends. ${STREAM_TEXT}`,
    headers,
    content: { 'application/json': json, 'text/event-stream': stream },
  }
}

// A summary for a route without `docs.summary`, from its name as FastAPI does from a
// function's: `jobsProgress` -> `Jobs progress`, `getCount` -> `Get count`.
function toSummary(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function eitherOf(a: JsonObject | undefined, b: JsonObject | undefined): JsonObject | undefined {
  if (a === undefined || b === undefined) return undefined
  return JSON.stringify(a) === JSON.stringify(b) ? a : { anyOf: [a, b] }
}
