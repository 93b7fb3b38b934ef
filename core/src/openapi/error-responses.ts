import type { ResponseObject } from 'openapi3-ts/oas31'
import { statusByCode } from '../errors/status-table'
import type { JsonObject } from './schema-components'

const REF = '#/components/schemas/'

/** `{ code, message, details? }`: the error inside a JSON error body, and the data of `event: error`. */
export const errorBodySchema: JsonObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: {
      type: 'string',
      description:
        "A stable code to switch on: sluice's own (see the responses) or a `WireError` code of the app.",
    },
    message: { type: 'string' },
    details: {
      description: 'Only when there are any. `VALIDATION_ERROR` lists every problem in `issues`.',
      properties: {
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: {
              path: { type: 'array', items: { type: ['string', 'integer'] } },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  },
}

/** The JSON body of every error answered before the first byte. */
export const errorSchema: JsonObject = {
  type: 'object',
  required: ['error'],
  properties: { error: { $ref: `${REF}ErrorBody` } },
}

/** The error responses a route may document, in status order, with their component names. */
const errorResponses = [
  { status: 400, name: 'BadRequest', text: 'The request is invalid' },
  { status: 401, name: 'Unauthorized', text: 'The route needs a session and `authenticate` gave none' },
  { status: 413, name: 'PayloadTooLarge', text: 'The body is larger than `limits.bodyBytes`' },
  { status: 415, name: 'UnsupportedMediaType', text: 'The body is not `application/json`' },
  { status: 500, name: 'InternalError', text: 'The server failed' },
] as const

/** A status `toOpenAPI` documents errors for. */
export type ErrorStatus = (typeof errorResponses)[number]['status']

/** What decides a route's error responses. */
export interface ErrorFacts {
  /** Input is validated (an input schema) or a body is read. */
  input: boolean
  body: boolean
  auth: boolean
}

/** The error statuses of one route: 400 with input, 401 with auth, 413/415 with a body, 500 always. */
export function toErrorStatuses(facts: ErrorFacts): ErrorStatus[] {
  const statuses: ErrorStatus[] = []
  if (facts.input || facts.body) statuses.push(400)
  if (facts.auth) statuses.push(401)
  if (facts.body) statuses.push(413, 415)
  statuses.push(500)
  return statuses
}

/** The `$ref` of the response component for a status. */
export function toErrorRef(status: ErrorStatus): { $ref: string } {
  return { $ref: `#/components/responses/${nameOf(status)}` }
}

/** The response components for the statuses used, in status order; codes come from the status table. */
export function toErrorComponents(used: ReadonlySet<ErrorStatus>): [string, ResponseObject][] {
  return errorResponses
    .filter(({ status }) => used.has(status))
    .map(({ status, name, text }): [string, ResponseObject] => {
      const codes = Object.entries(statusByCode)
        .filter(([, code]) => code === status)
        .map(([code]) => `\`${code}\``)
      const other = status === 500 ? ', or any code of the app without a status of its own' : ''
      const description = `${text}: ${codes.join(', ')}${other}.`
      return [name, { description, content: { 'application/json': { schema: { $ref: `${REF}Error` } } } }]
    })
}

function nameOf(status: ErrorStatus): string {
  return errorResponses.find((response) => response.status === status)?.name ?? 'InternalError'
}
