import type { JsonObject } from './schema-components'
import { eventIdPattern } from '../stream/with-event'

/** The OpenAPI versions `toOpenAPI` writes. */
export type OpenAPIVersion = '3.1' | '3.2'

/** What a stream's events carry: the schema of message data and of the `done` data (absent: any JSON). */
export interface StreamData {
  message: JsonObject | undefined
  done: JsonObject | undefined
}

const REF = '#/components/schemas/'

const STREAM_TEXT =
  'Server-Sent Events: message events, then `event: done` with the result, or `event: error` ' +
  'if the stream failed after it opened. A stream that ends with neither was cut off (a ' +
  'dropped connection, `maxDurationMs`): reconnect with `Last-Event-ID` to resume. Comment ' +
  'lines (`: ping`) are heartbeats. `data` is always one line of JSON.'

// The WHATWG event stream fields as a JSON object, `data` as the JSON text it carries; the
// content keywords are how OpenAPI 3.2 describes string-encoded JSON inside an SSE item.
function jsonText(schema: JsonObject | undefined): JsonObject {
  const text: JsonObject = { type: 'string', contentMediaType: 'application/json' }
  if (schema !== undefined) text['contentSchema'] = schema
  return text
}

/** The `error` event, shared by every stream as a component. */
export const streamErrorEvent: JsonObject = {
  title: 'error',
  description: 'Ends a stream that failed after it opened; no `done` follows.',
  type: 'object',
  required: ['event', 'data'],
  properties: {
    event: { const: 'error' },
    data: jsonText({ $ref: `${REF}ErrorBody` }),
  },
}

/** The schema of one SSE event of a stream: a message, `done`, or `error`. */
export function toEventSchema(data: StreamData): JsonObject {
  const message: JsonObject = {
    title: 'message',
    type: 'object',
    required: ['data'],
    properties: {
      event: {
        type: 'string',
        not: { enum: ['done', 'error'] },
        description: 'Absent for the default `message` type; a name given with `withEvent`.',
      },
      id: {
        type: 'string',
        pattern: eventIdPattern.source,
        description: 'Given with `withEvent`; send it back as `Last-Event-ID` to resume.',
      },
      retry: {
        type: 'integer',
        minimum: 0,
        description: 'The reconnection delay the server asks for, in ms.',
      },
      data: jsonText(data.message),
    },
  }
  const done: JsonObject = {
    title: 'done',
    description: 'Always the last event of a finished stream; a client must not reconnect after it.',
    type: 'object',
    required: ['event', 'data'],
    properties: { event: { const: 'done' }, data: jsonText(data.done) },
  }
  // The three shapes exclude each other by `event`, so exactly one matches each item.
  return { oneOf: [message, done, { $ref: `${REF}StreamErrorEvent` }] }
}

/**
 * The `text/event-stream` media type object. OpenAPI 3.2 describes one item of a sequential
 * media type with `itemSchema`; 3.1 has no such field, so its `schema` describes one event and
 * says so, since the body is really a sequence of them.
 */
export function toEventStreamMedia(version: OpenAPIVersion, data: StreamData): JsonObject {
  const item = toEventSchema(data)
  if (version === '3.2') return { description: STREAM_TEXT, itemSchema: item }
  const note =
    'OpenAPI 3.1 cannot describe a sequence: this schema is ONE event of the stream, not the whole body.'
  return { schema: { description: `${STREAM_TEXT} ${note}`, ...item } }
}
