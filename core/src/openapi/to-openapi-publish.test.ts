// What a team needs before publishing a document (issue 16): info and servers, explicit
// security on every operation of an app with `authenticate`, a summary on every operation,
// declared statuses and errors, no invented integer bounds, and the stream schema styles.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp, type App } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { toOpenAPI, type OpenAPIOptions } from './to-openapi'

// The value at a path in a JSON document; `undefined` when any step is missing.
function get(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined),
    value,
  )
}

function document(app: App, options: OpenAPIOptions = {}): unknown {
  return JSON.parse(JSON.stringify(toOpenAPI(app, options)))
}

const ok = defineFunction({ func: () => ({ ok: true }) })

function countApp(): App {
  const app = createApp()
  const count = defineFunction({
    event: z.object({ i: z.number() }),
    output: z.object({ total: z.number() }),
    func: async function* () {
      yield { i: 1 }
      return { total: 1 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/count', func: count })
  return app
}

describe('toOpenAPI: a document to publish', () => {
  it('writes info and servers as given, in both versions', () => {
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/health', func: ok })
    const info = { title: 'Jobs API', version: '1.4.0', description: 'Runs jobs.' }
    const servers = [{ url: 'https://api.example.com', description: 'Production' }]
    for (const version of ['3.1', '3.2'] as const) {
      expect(document(app, { version, info, servers })).toMatchObject({ info, servers })
    }
    expect(get(document(app), 'servers')).toBeUndefined()
    expect(get(document(app), 'info')).toEqual({ title: 'sluice app', version: '0.0.0' })
  })

  it('with authenticate, says security on every operation: [] on public routes', () => {
    const app = createApp({ authenticate: () => ({ user: 'a' }) })
    wireHTTP(app, { method: 'get', route: '/me', func: ok, auth: true })
    wireHTTP(app, { method: 'get', route: '/open', func: ok })
    const doc = document(app)
    expect(get(doc, 'paths', '/me', 'get', 'security')).toEqual([{ bearerAuth: [] }])
    expect(get(doc, 'paths', '/open', 'get', 'security')).toEqual([])
    // Without authenticate nothing is secured, and nothing claims otherwise.
    const open = createApp()
    wireHTTP(open, { method: 'get', route: '/open', func: ok })
    expect(get(document(open), 'paths', '/open', 'get', 'security')).toBeUndefined()
    expect(get(document(open), 'components', 'securitySchemes')).toBeUndefined()
  })

  it('gives every operation a summary: docs.summary, else one derived from its name', () => {
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/jobs/:id/progress', func: ok })
    wireHTTP(app, { method: 'get', route: '/count', func: ok })
    wireHTTP(app, { method: 'post', route: '/count', func: ok })
    wireHTTP(app, { method: 'get', route: '/a', func: ok, docs: { summary: 'Given' } })
    const doc = document(app)
    expect(get(doc, 'paths', '/jobs/{id}/progress', 'get', 'summary')).toBe('Jobs progress')
    expect(get(doc, 'paths', '/count', 'get', 'summary')).toBe('Get count')
    expect(get(doc, 'paths', '/count', 'post', 'summary')).toBe('Post count')
    expect(get(doc, 'paths', '/a', 'get', 'summary')).toBe('Given')
  })

  it('lists a declared success status and declared error codes under their statuses', () => {
    const app = createApp()
    const create = defineFunction({
      input: z.object({ id: z.string() }),
      output: z.object({ id: z.string() }),
      status: 201,
      errors: { JOB_EXISTS: { status: 409, details: z.object({ jobId: z.string() }) } },
      func: ({ input }) => ({ id: input.id }),
    })
    wireHTTP(app, { method: 'post', route: '/jobs', func: create })
    const responses = get(document(app), 'paths', '/jobs', 'post', 'responses')
    expect(Object.keys(responses as object)).toEqual(['201', '400', '409', '413', '415', '500'])
    expect(
      get(responses, '409', 'content', 'application/json', 'schema', 'properties', 'error'),
    ).toMatchObject({
      properties: { code: { const: 'JOB_EXISTS' }, details: { properties: { jobId: { type: 'string' } } } },
    })
  })

  it('gives z.number().int() no bounds; bounds the schema sets stay', () => {
    const app = createApp()
    const input = z.object({ a: z.number().int(), b: z.int().min(0), c: z.int32(), d: z.int().nullable() })
    wireHTTP(app, { method: 'post', route: '/n', func: defineFunction({ input, func: () => 1 }) })
    const body = get(
      document(app),
      'paths',
      '/n',
      'post',
      'requestBody',
      'content',
      'application/json',
      'schema',
    )
    expect(get(body, 'properties', 'a')).toEqual({ type: 'integer' })
    expect(get(body, 'properties', 'b')).toEqual({ type: 'integer', minimum: 0 })
    expect(get(body, 'properties', 'c')).toEqual({
      type: 'integer',
      minimum: -2147483648,
      maximum: 2147483647,
    })
    expect(get(body, 'properties', 'd', 'anyOf', 0)).toEqual({ type: 'integer' })
  })
})

describe('toOpenAPI: stream schema styles', () => {
  const media = (doc: unknown): unknown =>
    get(doc, 'paths', '/count', 'get', 'responses', '200', 'content', 'text/event-stream')

  it('writes no description on the media type (Redocly refuses it), in any version or style', () => {
    for (const version of ['3.1', '3.2'] as const)
      for (const streams of ['data', 'event'] as const) {
        const keys = Object.keys(media(document(countApp(), { version, streams })) as object)
        expect(keys, `${version} ${streams}`).toEqual([version === '3.2' ? 'itemSchema' : 'schema'])
      }
  })

  it("puts the data union under 3.2's itemSchema with streams: 'data' (what Redocly's client types)", () => {
    const item = get(media(document(countApp(), { version: '3.2', streams: 'data' })), 'itemSchema')
    expect(get(item, 'anyOf', 0)).toMatchObject({ title: 'message', properties: { i: { type: 'number' } } })
    expect(get(item, 'anyOf', 1, 'title')).toBe('done')
  })

  it("keeps a payload's own title and $ref siblings: wrapped, the event name outside", () => {
    const app = createApp()
    const Tick = z.object({ n: z.number() }).meta({ title: 'Tick' })
    const ticks = defineFunction({ event: Tick, func: async function* () {} })
    wireHTTP(app, { method: 'get', route: '/ticks', func: ticks })
    const choice = get(document(app), 'paths', '/ticks', 'get', 'responses', '200', 'content')
    expect(get(choice, 'text/event-stream', 'schema', 'anyOf', 0)).toMatchObject({
      title: 'message',
      allOf: [{ title: 'Tick', properties: { n: { type: 'number' } } }],
    })
  })
})
