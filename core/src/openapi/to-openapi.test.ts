import type { StandardSchemaV1 } from '@standard-schema/spec'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp, type App } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { toOpenAPI } from './to-openapi'

// The value at a path in a JSON document; `undefined` when any step is missing.
function get(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined),
    value,
  )
}

function keys(value: unknown): string[] {
  return typeof value === 'object' && value !== null ? Object.keys(value) : []
}

// The document as plain JSON, checked so that every local `$ref` points at something.
function document(app: App, version: '3.1' | '3.2' = '3.1'): unknown {
  const doc: unknown = JSON.parse(JSON.stringify(toOpenAPI(app, { version })))
  expect(unresolvedRefs(doc, doc)).toEqual([])
  return doc
}

function unresolvedRefs(node: unknown, doc: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => unresolvedRefs(item, doc))
  if (typeof node !== 'object' || node === null) return []
  return Object.entries(node).flatMap(([key, value]) => {
    if (key !== '$ref' || typeof value !== 'string') return unresolvedRefs(value, doc)
    const tokens = value.slice(2).split('/')
    return get(doc, ...tokens.map((token) => token.replaceAll('~1', '/'))) === undefined ? [value] : []
  })
}

const ok = defineFunction({ func: () => ({ ok: true }) })

describe('toOpenAPI: input', () => {
  it('turns path params into path parameters and the rest of a GET input into query parameters', () => {
    const app = createApp()
    const input = z.object({
      jobId: z.coerce.number().int().min(1).max(1000).describe('The job'),
      q: z.string(),
      limit: z.coerce.number().default(10),
      tag: z.array(z.string()).optional(),
    })
    wireHTTP(app, {
      method: 'get',
      route: '/jobs/:jobId/items',
      func: defineFunction({ input, func: () => 1 }),
    })
    const operation = get(document(app), 'paths', '/jobs/{jobId}/items', 'get')
    expect(get(operation, 'parameters')).toEqual([
      {
        name: 'jobId',
        in: 'path',
        required: true,
        schema: { type: 'integer', minimum: 1, maximum: 1000, description: 'The job' },
        description: 'The job',
      },
      { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'number', default: 10 } },
      {
        name: 'tag',
        in: 'query',
        required: false,
        style: 'form',
        explode: true,
        schema: { type: 'array', items: { type: 'string' } },
      },
    ])
    expect(get(operation, 'requestBody')).toBeUndefined()
    expect(keys(get(operation, 'responses'))).toEqual(['200', '400', '500'])
  })

  it('makes the rest of a POST input the JSON body, required when it requires a property', () => {
    const app = createApp()
    const input = z.object({ jobId: z.string(), name: z.string(), note: z.string().optional() })
    wireHTTP(app, { method: 'post', route: '/jobs/:jobId', func: defineFunction({ input, func: () => 1 }) })
    const patch = z.object({ jobId: z.string(), note: z.string().optional() })
    wireHTTP(app, {
      method: 'patch',
      route: '/jobs/:jobId',
      func: defineFunction({ input: patch, func: () => 1 }),
    })
    const del = defineFunction({ input: z.object({ jobId: z.string() }), func: () => 1 })
    wireHTTP(app, { method: 'delete', route: '/jobs/:jobId', func: del })
    const item = get(document(app), 'paths', '/jobs/{jobId}')
    expect(get(item, 'post', 'parameters')).toEqual([
      { name: 'jobId', in: 'path', required: true, schema: { type: 'string' } },
    ])
    expect(get(item, 'post', 'requestBody')).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, note: { type: 'string' } },
            required: ['name'],
          },
        },
      },
    })
    expect(keys(get(item, 'post', 'responses'))).toEqual(['200', '400', '413', '415', '500'])
    expect(get(item, 'patch', 'requestBody', 'required')).toBe(false)
    expect(
      get(item, 'patch', 'requestBody', 'content', 'application/json', 'schema', 'required'),
    ).toBeUndefined()
    // Nothing is left for a body once the path param is taken out.
    expect(get(item, 'delete', 'requestBody')).toBeUndefined()
    expect(keys(get(item, 'delete', 'responses'))).toEqual(['200', '400', '500'])
  })

  it('reads plain JSON Schema input the same way, and documents any body when there is no schema', () => {
    const app = createApp()
    const input = {
      type: 'object',
      properties: {
        id: { type: 'string', minLength: 1 },
        ids: { type: 'array', items: { type: 'integer' } },
      },
      required: ['ids'],
    } as const
    wireHTTP(app, { method: 'get', route: '/things/:id', func: defineFunction({ input, func: () => 1 }) })
    wireHTTP(app, { method: 'post', route: '/raw/:id', func: ok })
    const doc = document(app)
    expect(get(doc, 'paths', '/things/{id}', 'get', 'parameters')).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } },
      {
        name: 'ids',
        in: 'query',
        required: true,
        style: 'form',
        explode: true,
        schema: { type: 'array', items: { type: 'integer' } },
      },
    ])
    const raw = get(doc, 'paths', '/raw/{id}', 'post')
    expect(get(raw, 'parameters')).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ])
    expect(get(raw, 'requestBody')).toMatchObject({
      required: false,
      content: { 'application/json': { schema: {} } },
    })
  })

  it('keeps a GET input that is not a plain object as one exploded query parameter', () => {
    const app = createApp()
    const input = z.union([z.object({ a: z.string() }), z.object({ b: z.string() })])
    wireHTTP(app, { method: 'get', route: '/either', func: defineFunction({ input, func: () => 1 }) })
    const parameter = get(document(app), 'paths', '/either', 'get', 'parameters', 0)
    expect(parameter).toMatchObject({ name: 'input', in: 'query', style: 'form', explode: true })
    expect(get(parameter, 'schema', 'anyOf')).toHaveLength(2)
  })
})

describe('toOpenAPI: responses', () => {
  const Event = z.object({ i: z.number() })
  const Result = z.object({ total: z.number() })

  function streamApp(): App {
    const app = createApp()
    const count = defineFunction({
      event: Event,
      output: Result,
      func: async function* () {
        yield { i: 1 }
        return { total: 1 }
      },
    })
    wireHTTP(app, { method: 'get', route: '/count', func: count })
    return app
  }

  it('documents a plain function as 200 application/json with its output schema', () => {
    const app = createApp()
    wireHTTP(app, {
      method: 'get',
      route: '/result',
      func: defineFunction({ output: Result, func: () => ({ total: 1 }) }),
    })
    const content = get(document(app), 'paths', '/result', 'get', 'responses', '200', 'content')
    expect(keys(content)).toEqual(['application/json'])
    expect(get(content, 'application/json', 'schema')).toMatchObject({
      properties: { total: { type: 'number' } },
    })
  })

  it('describes one SSE event with itemSchema on 3.2: message, done and error', () => {
    const operation = get(document(streamApp(), '3.2'), 'paths', '/count', 'get')
    const content = get(operation, 'responses', '200', 'content')
    expect(keys(content)).toEqual(['text/event-stream'])
    const media = get(content, 'text/event-stream')
    // The item only: Redocly's struct check refuses a media type `description`.
    expect(keys(media)).toEqual(['itemSchema'])
    const [message, done, error] = [0, 1, 2].map((i) => get(media, 'itemSchema', 'oneOf', i))
    expect(get(message, 'properties', 'data')).toMatchObject({
      type: 'string',
      contentMediaType: 'application/json',
      contentSchema: { properties: { i: { type: 'number' } } },
    })
    expect(get(message, 'properties', 'event', 'not')).toEqual({ enum: ['done', 'error'] })
    expect(get(done, 'properties', 'event')).toEqual({ const: 'done' })
    expect(get(done, 'properties', 'data', 'contentSchema')).toMatchObject({
      properties: { total: { type: 'number' } },
    })
    expect(error).toEqual({ $ref: '#/components/schemas/StreamErrorEvent' })
    expect(get(operation, 'parameters')).toContainEqual(
      expect.objectContaining({ name: 'Last-Event-ID', in: 'header' }),
    )
  })

  it('puts what each event carries under schema on 3.1, each choice titled by its event name', () => {
    const doc = document(streamApp(), '3.1')
    const media = get(doc, 'paths', '/count', 'get', 'responses', '200', 'content', 'text/event-stream')
    expect(get(media, 'itemSchema')).toBeUndefined()
    const choices = get(media, 'schema', 'anyOf') as Record<string, unknown>[]
    expect(choices.map((choice) => choice['title'])).toEqual(['message', 'done', 'error'])
    expect(choices[0]).toMatchObject({ type: 'object', properties: { i: { type: 'number' } } })
    expect(choices[1]).toMatchObject({ properties: { total: { type: 'number' } } })
    expect(choices[2]).toMatchObject({ $ref: '#/components/schemas/ErrorBody' })
    expect(get(media, 'schema', 'description')).toMatch(/framing, not part of this schema/)
    // Only the `event` style refers to the SSE-fields error event.
    expect(get(doc, 'components', 'schemas', 'StreamErrorEvent')).toBeUndefined()
  })

  it("describes the SSE fields under a 3.1 schema with streams: 'event', and says it is ONE event", () => {
    const doc = JSON.parse(JSON.stringify(toOpenAPI(streamApp(), { streams: 'event' }))) as unknown
    const media = get(doc, 'paths', '/count', 'get', 'responses', '200', 'content', 'text/event-stream')
    expect(get(media, 'schema', 'oneOf')).toHaveLength(3)
    expect(get(media, 'schema', 'oneOf', 0, 'properties', 'data', 'contentSchema')).toMatchObject({
      properties: { i: { type: 'number' } },
    })
    expect(get(media, 'schema', 'description')).toMatch(/ONE event of the stream/)
    expect(
      get(doc, 'components', 'schemas', 'StreamErrorEvent', 'properties', 'data', 'contentSchema'),
    ).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    })
  })

  it('lists both JSON and an event stream on a progressive route', () => {
    const app = createApp()
    const status = defineFunction({
      event: z.object({ state: z.string() }),
      output: z.object({ first: z.boolean() }),
      func: () => ({ first: true }),
    })
    wireHTTP(app, { method: 'get', route: '/status', func: status, sse: true })
    const content = get(document(app, '3.2'), 'paths', '/status', 'get', 'responses', '200', 'content')
    expect(keys(content)).toEqual(['application/json', 'text/event-stream'])
    const item = get(content, 'text/event-stream', 'itemSchema')
    // The returned value is the first message, then come the channel's events.
    expect(get(item, 'oneOf', 0, 'properties', 'data', 'contentSchema', 'anyOf')).toHaveLength(2)
    // `channel.close()` without a value sends `done` with null.
    expect(get(item, 'oneOf', 1, 'properties', 'data', 'contentSchema', 'anyOf', 1)).toEqual({ type: 'null' })
  })

  it('names the heartbeat header on stream and progressive answers, not on JSON ones', () => {
    const app = streamApp()
    wireHTTP(app, { method: 'get', route: '/plain', func: ok })
    wireHTTP(app, {
      method: 'get',
      route: '/status',
      func: defineFunction({ output: z.object({ n: z.number() }), func: () => ({ n: 1 }) }),
      sse: true,
    })
    const doc = document(app)
    const header = (path: string) => get(doc, 'paths', path, 'get', 'responses', '200', 'headers')
    for (const path of ['/count', '/status']) {
      expect(get(header(path), 'Sluice-Heartbeat-Ms', 'schema')).toEqual({ type: 'integer', minimum: 1 })
    }
    expect(header('/plain')).toBeUndefined()
  })

  it('tells streams apart statically: a generator streams, with or without an event schema', () => {
    const app = createApp()
    async function* nothing(): AsyncGenerator<{ i: number }, undefined> {}
    // A subscription is streamed through a generator that delegates to it.
    const subscription = defineFunction({
      event: Event,
      func: async function* () {
        yield* nothing()
      },
    })
    wireHTTP(app, { method: 'get', route: '/feed', func: subscription })
    wireHTTP(app, { method: 'get', route: '/gen', func: defineFunction({ func: async function* () {} }) })
    wireHTTP(app, { method: 'get', route: '/plain', func: ok })
    const doc = document(app)
    const types = (path: string): string[] =>
      keys(get(doc, 'paths', path, 'get', 'responses', '200', 'content'))
    expect([types('/feed'), types('/gen'), types('/plain')]).toEqual([
      ['text/event-stream'],
      ['text/event-stream'],
      ['application/json'],
    ])
  })

  it('uses {} with a reason when a schema cannot be described', () => {
    const app = createApp()
    const opaque: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 'acme', validate: (value) => ({ value }) },
    }
    wireHTTP(app, { method: 'post', route: '/a', func: defineFunction({ input: opaque, func: () => 1 }) })
    const dated = defineFunction({ output: z.object({ at: z.date() }), func: () => ({ at: new Date() }) })
    wireHTTP(app, { method: 'get', route: '/b', func: dated })
    const doc = document(app)
    expect(get(doc, 'paths', '/a', 'post', 'requestBody', 'content', 'application/json', 'schema')).toEqual({
      description: 'Not described: this acme schema does not implement Standard JSON Schema.',
    })
    const schema = get(doc, 'paths', '/b', 'get', 'responses', '200', 'content', 'application/json', 'schema')
    expect(get(schema, 'description')).toMatch(/^Not described: zod could not express this schema \(.*Date/)
  })
})

describe('toOpenAPI: document', () => {
  it('moves $defs and recursive roots to components, so every $ref resolves', () => {
    interface Node {
      name: string
      children: Node[]
    }
    const Node: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(Node) }))
    const User = z.object({ name: z.string() }).meta({ id: 'User' })
    const app = createApp()
    const tree = defineFunction({ output: Node, func: () => ({ name: 'a', children: [] }) })
    wireHTTP(app, { method: 'get', route: '/tree', func: tree })
    const pair = defineFunction({
      output: z.object({ a: User, b: User }),
      func: () => ({ a: { name: '' }, b: { name: '' } }),
    })
    wireHTTP(app, { method: 'get', route: '/pair', func: pair })
    // Another `User` (plain JSON Schema this time) that differs: it must not replace the first.
    const other = {
      type: 'object',
      properties: { user: { $ref: '#/$defs/User' } },
      $defs: { User: { type: 'object', properties: { id: { type: 'integer' } } } },
    } as const
    wireHTTP(app, { method: 'post', route: '/other', func: defineFunction({ input: other, func: () => 1 }) })
    const doc = document(app) // asserts that no $ref dangles
    const schemas = get(doc, 'components', 'schemas')
    expect(
      get(doc, 'paths', '/tree', 'get', 'responses', '200', 'content', 'application/json', 'schema'),
    ).toEqual({
      $ref: '#/components/schemas/TreeOutput',
    })
    expect(get(schemas, 'TreeOutput', 'properties', 'children', 'items')).toEqual({
      $ref: '#/components/schemas/TreeOutput',
    })
    expect(get(schemas, 'User')).toMatchObject({ properties: { name: { type: 'string' } } })
    const body = get(doc, 'paths', '/other', 'post', 'requestBody', 'content', 'application/json', 'schema')
    expect(get(body, 'properties', 'user')).toEqual({ $ref: '#/components/schemas/OtherInputUser' })
    expect(get(schemas, 'OtherInputUser')).toMatchObject({ properties: { id: { type: 'integer' } } })
  })

  it('maps auth: true to a bearer security requirement and a 401, or to the schemes given', () => {
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/me', func: ok, auth: true })
    wireHTTP(app, { method: 'get', route: '/open', func: ok })
    const doc = document(app)
    expect(get(doc, 'paths', '/me', 'get', 'security')).toEqual([{ bearerAuth: [] }])
    expect(get(doc, 'paths', '/me', 'get', 'responses', '401')).toEqual({
      $ref: '#/components/responses/Unauthorized',
    })
    // Once any route needs a session, a public one says so explicitly.
    expect(get(doc, 'paths', '/open', 'get', 'security')).toEqual([])
    expect(get(doc, 'components', 'securitySchemes', 'bearerAuth')).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    })

    const apiKey = { type: 'apiKey', in: 'header', name: 'x-api-key' } as const
    const custom = toOpenAPI(app, { securitySchemes: { apiKey } })
    expect(custom.paths?.['/me']?.get?.security).toEqual([{ apiKey: [] }])
    expect(keys(custom.components?.securitySchemes)).toEqual(['apiKey'])
    const scoped = toOpenAPI(app, { security: [{ bearerAuth: ['admin'] }] })
    expect(scoped.paths?.['/me']?.get?.security).toEqual([{ bearerAuth: ['admin'] }])
  })

  it('takes docs, names and info from the app and options, the same on every run', () => {
    const app = createApp()
    const described = defineFunction({ description: 'From the function', func: () => 1 })
    const docs = { summary: 'A', tags: ['x'], deprecated: true }
    wireHTTP(app, { method: 'get', route: '/a', func: described, docs })
    wireHTTP(app, {
      method: 'get',
      route: '/b',
      func: described,
      name: 'bee',
      docs: { description: 'From the route' },
    })
    const info = { title: 'Jobs', version: '2.0.0' }
    const doc = document(app, '3.2')
    expect(toOpenAPI(app, { version: '3.2', info })).toMatchObject({ openapi: '3.2.0', info })
    expect(get(doc, 'paths', '/a', 'get')).toMatchObject({
      operationId: 'a',
      description: 'From the function',
      ...docs,
    })
    expect(get(doc, 'paths', '/b', 'get')).toMatchObject({
      operationId: 'bee',
      description: 'From the route',
    })
    expect(JSON.stringify(toOpenAPI(app, { version: '3.2' }))).toBe(JSON.stringify(doc))
    expect(toOpenAPI(app).openapi).toBe('3.1.1')
  })
})
