import type { JsonObject } from './schema-components'
import { eventIdPattern } from '../stream/with-event'

/** The OpenAPI versions `toOpenAPI` writes. */
export type OpenAPIVersion = '3.1' | '3.2'

/**
 * How a stream's schema describes one event: `data`, the JSON its `data:` line carries (what
 * openapi-typescript, hey-api and Redocly's client type and deliver), or `event`, the SSE
 * fields `{ event, id, retry, data }` with `data` as JSON text (the OpenAPI 3.2 specification's
 * model). Default: `data` for 3.1, `event` for 3.2.
 */
export type StreamSchemaStyle = 'data' | 'event'

/** One kind of message event: its SSE event name (`undefined`: the default `message` type) and data schema. */
export interface EventKind {
  name: string | undefined
  schema: JsonObject | undefined
}

/** What a stream's events carry: the message kinds, and the schema of the `done` data (absent: any JSON). */
export interface StreamData {
  messages: EventKind[]
  /** The function declares its kinds (`events`): an unnamed message is the `message` kind only. */
  kinds?: boolean
  done: JsonObject | undefined
}

const REF = '#/components/schemas/'

/** How every sluice stream goes, for the description of a streaming response. */
export const STREAM_TEXT =
  'Server-Sent Events: message events, then `event: done` with the result, or `event: error` ' +
  'if the stream failed after it opened. A stream that ends with neither was cut off (a ' +
  'dropped connection, `maxDurationMs`): reconnect with `Last-Event-ID` to resume. Comment ' +
  'lines (`: ping`) are heartbeats. `data` is always one line of JSON.'

/**
 * The response headers of a stream: its heartbeat period, which a client uses to tell a dead
 * connection from a quiet one (docs/protocol.md). Absent when the app turns heartbeats off.
 */
export const STREAM_HEADERS = {
  'Sluice-Heartbeat-Ms': {
    description:
      'On a `text/event-stream` answer: the period of its `: ping` heartbeats in milliseconds. ' +
      'A client may treat silence longer than twice this plus 2 s as a dead connection. ' +
      'Absent when heartbeats are off.',
    schema: { type: 'integer', minimum: 1 },
  },
} as const

const DATA_TEXT =
  'The JSON `data` of one event of the stream, by event name (the `title` of each choice). ' +
  'The SSE fields around it (`event`, `id`, `retry`) are framing, not part of this schema.'

const EVENT_TEXT = 'One event of the stream, as its SSE fields; `data` is the JSON text it carries.'

const SEQUENCE_NOTE =
  ' OpenAPI 3.1 cannot describe a sequence: this schema is ONE event of the stream, not the whole body.'

const doneText = 'Always the last event of a finished stream; a client must not reconnect after it.'
const errorText = 'Ends a stream that failed after it opened; no `done` follows.'

// The WHATWG event stream fields as a JSON object, `data` as the JSON text it carries; the
// content keywords are how OpenAPI 3.2 describes string-encoded JSON inside an SSE item.
function jsonText(schema: JsonObject | undefined): JsonObject {
  const text: JsonObject = { type: 'string', contentMediaType: 'application/json' }
  if (schema !== undefined) text['contentSchema'] = schema
  return text
}

/** The `error` event as SSE fields, shared by every stream as a component (the `event` style). */
export const streamErrorEvent: JsonObject = {
  title: 'error',
  description: errorText,
  type: 'object',
  required: ['event', 'data'],
  properties: {
    event: { const: 'error' },
    data: jsonText({ $ref: `${REF}ErrorBody` }),
  },
}

/** The schema of one event's `data`, per event name: what a generated SSE client yields. */
export function toDataSchema(data: StreamData): JsonObject {
  const messages = data.messages.map((kind) =>
    titled(kind.schema, kind.name ?? 'message', messageText(kind.name, data.messages, data.kinds === true)),
  )
  const done = titled(data.done, 'done', `The data of \`event: done\`, the result. ${doneText}`)
  const error = titled({ $ref: `${REF}ErrorBody` }, 'error', `The data of \`event: error\`. ${errorText}`)
  // Payloads are told apart by the event name, not by their content, so they may overlap: `anyOf`.
  return { anyOf: [...messages, done, error] }
}

/** The schema of one SSE event of a stream as its fields: a message kind, `done`, or `error`. */
export function toEventSchema(data: StreamData): JsonObject {
  const named = data.messages.flatMap((kind) => (kind.name === undefined ? [] : [kind.name]))
  const messages = data.messages.map((kind): JsonObject => {
    // Unnamed, the message kind is told apart by the names it is not: Redocly (and `oneOf`)
    // need the choices exclusive, and an optional `const` would overlap the others.
    const event: JsonObject =
      kind.name !== undefined
        ? { const: kind.name }
        : {
            type: 'string',
            not: { enum: [...named, 'done', 'error'] },
            description:
              data.kinds === true
                ? 'Absent (or `message`): the SSE default type.'
                : 'Absent for the default `message` type; a name given with `withEvent`.',
          }
    return {
      title: kind.name ?? 'message',
      type: 'object',
      required: kind.name === undefined ? ['data'] : ['event', 'data'],
      properties: {
        event,
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
        data: jsonText(kind.schema),
      },
    }
  })
  const done: JsonObject = {
    title: 'done',
    description: doneText,
    type: 'object',
    required: ['event', 'data'],
    properties: { event: { const: 'done' }, data: jsonText(data.done) },
  }
  // The shapes exclude each other by `event`, so exactly one matches each item.
  return { oneOf: [...messages, done, { $ref: `${REF}StreamErrorEvent` }] }
}

/**
 * The `text/event-stream` media type object. OpenAPI 3.2 describes one item of a sequential
 * media type with `itemSchema`; 3.1 has no such field, so its `schema` describes one event.
 * No `description` on the media type: Redocly's struct check refuses it (and 3.1 has none).
 */
export function toEventStreamMedia(
  version: OpenAPIVersion,
  style: StreamSchemaStyle,
  data: StreamData,
): JsonObject {
  const item =
    style === 'data'
      ? { description: DATA_TEXT, ...toDataSchema(data) }
      : { description: version === '3.1' ? EVENT_TEXT + SEQUENCE_NOTE : EVENT_TEXT, ...toEventSchema(data) }
  return version === '3.2' ? { itemSchema: item } : { schema: item }
}

function messageText(name: string | undefined, kinds: EventKind[], declared: boolean): string {
  if (name !== undefined) return `The data of \`event: ${name}\`.`
  if (declared) return 'The data of a `message` event: no `event:` line (the SSE default type).'
  if (kinds.length > 1) return 'The data of an event without a declared name.'
  return 'The data of a message event (no `event:` line, or a name given with `withEvent`).'
}

// A payload schema with the event name as its `title` (the label Redoc and Swagger UI show for
// each choice). A `$ref` keeps its siblings (JSON Schema 2020-12); a schema with a title of its
// own is wrapped, so that title is kept too.
function titled(schema: JsonObject | undefined, title: string, description: string): JsonObject {
  if (schema === undefined) return { title, description }
  if ('$ref' in schema && Object.keys(schema).length === 1) return { title, description, ...schema }
  if ('title' in schema || '$ref' in schema) return { title, description, allOf: [schema] }
  const { description: own, ...rest } = schema
  return { title, description: typeof own === 'string' ? `${description} ${own}` : description, ...rest }
}
