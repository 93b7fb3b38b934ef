import type { ParameterObject, RequestBodyObject, SchemaObject } from 'openapi3-ts/oas32'
import { hasBody } from '../http/negotiate'
import { isObject, type JsonObject, type SchemaComponents } from './schema-components'

/** Where a route's input comes from, in OpenAPI terms. */
export interface InputParts {
  parameters: ParameterObject[]
  requestBody: RequestBodyObject | undefined
}

/** `/jobs/:jobId/progress` -> `/jobs/{jobId}/progress`, with the param names in order. */
export function toTemplatedPath(path: string): { path: string; params: string[] } {
  const params: string[] = []
  const templated = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment
      params.push(segment.slice(1))
      return `{${segment.slice(1)}}`
    })
    .join('/')
  return { path: templated, params }
}

/**
 * Splits an input schema the way core merges input: path params come from the path; on GET
 * the other properties are query parameters; on methods that read a body they are the JSON
 * body. Without a schema, path params are strings and a body is any JSON.
 */
export function toInputParts(
  method: string,
  params: string[],
  input: JsonObject | undefined,
  components: SchemaComponents,
): InputParts {
  const view = input === undefined ? undefined : toObjectView(components.resolve(input))
  const parameters: ParameterObject[] = params.map((name) => {
    const schema = view?.properties[name] ?? { type: 'string' }
    return withDescription({ name, in: 'path', required: true, schema }, schema)
  })
  if (input === undefined) {
    // The function still gets whatever JSON body is sent, merged into its raw input.
    const anyBody: RequestBodyObject = {
      description: 'Any JSON: the function has no input schema.',
      required: false,
      content: { 'application/json': { schema: {} } },
    }
    return { parameters, requestBody: hasBody(method) ? anyBody : undefined }
  }
  if (hasBody(method)) return { parameters, requestBody: toRequestBody(input, view, params) }
  if (view === undefined) {
    // Not an object schema (a union, an intersection): one parameter, exploded into query keys.
    parameters.push({ name: 'input', in: 'query', style: 'form', explode: true, schema: input })
    return { parameters, requestBody: undefined }
  }
  for (const [name, schema] of Object.entries(view.properties)) {
    if (params.includes(name)) continue
    const parameter: ParameterObject = {
      name,
      in: 'query',
      required: view.required.includes(name),
      schema,
    }
    // A repeated key is an array (`?tag=a&tag=b`); core has no bracket syntax.
    if (isArray(schema)) Object.assign(parameter, { style: 'form', explode: true })
    parameters.push(withDescription(parameter, schema))
  }
  return { parameters, requestBody: undefined }
}

function toRequestBody(
  input: JsonObject,
  view: ObjectView | undefined,
  params: string[],
): RequestBodyObject | undefined {
  const content = (schema: JsonObject): RequestBodyObject['content'] => ({
    'application/json': { schema: schema as SchemaObject },
  })
  // An opaque schema (an array, a union) is the body as it stands; a missing body is `{}`.
  if (view === undefined) return { required: true, content: content(input) }
  const names = Object.keys(view.properties).filter((name) => !params.includes(name))
  if (names.length === 0) return undefined
  const required = view.required.filter((name) => !params.includes(name))
  const schema = params.length === 0 ? input : withoutProperties(view.schema, params, required)
  return { required: required.length > 0, content: content(schema) }
}

interface ObjectView {
  schema: JsonObject
  properties: Record<string, JsonObject>
  required: string[]
}

// An object schema whose properties alone say what it accepts; combinators would make a
// split by property wrong, so such a schema stays whole.
function toObjectView(schema: JsonObject): ObjectView | undefined {
  const { properties, required } = schema
  if (!isObject(properties)) return undefined
  if (['allOf', 'anyOf', 'oneOf', 'not', 'if', '$ref'].some((key) => key in schema)) return undefined
  const entries = Object.entries(properties).filter((entry): entry is [string, JsonObject] =>
    isObject(entry[1]),
  )
  const names = Array.isArray(required) ? required.filter((name) => typeof name === 'string') : []
  return { schema, properties: Object.fromEntries(entries), required: names }
}

function withoutProperties(schema: JsonObject, names: string[], required: string[]): JsonObject {
  const properties = Object.fromEntries(
    Object.entries(schema['properties'] as JsonObject).filter(([name]) => !names.includes(name)),
  )
  const { required: _required, ...rest } = schema
  return required.length === 0 ? { ...rest, properties } : { ...rest, properties, required }
}

function isArray(schema: JsonObject): boolean {
  const { type } = schema
  return type === 'array' || (Array.isArray(type) && type.includes('array'))
}

// A property's description documents its parameter too: tools show the parameter's own.
function withDescription(parameter: ParameterObject, schema: JsonObject): ParameterObject {
  const { description } = schema
  return typeof description === 'string' ? { ...parameter, description } : parameter
}
