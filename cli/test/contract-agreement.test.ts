import {
  closeApp,
  createApp,
  defineFunction,
  toOpenAPI,
  wireHTTP,
  type App,
  type RouteKind,
} from '@sluice/core'
import { createHandler, type CoreRequest, type CoreResponse } from '@sluice/core/adapter'
import { createFixtureApp } from '@sluice/conformance/fixture'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { generateClient } from '../src/generate/generate-client'

// One contract, three readers: for every route of the fixture, and the served forms of the
// wiring cases of issue 14, what the server answers a plain and an SSE client, the method kind
// the generated client has, and the media types OpenAPI documents all say the same kind.

/** A request that reaches each route's function with valid input. */
interface Sample {
  query?: string
  body?: unknown
  headers?: Record<string, string>
}

let jobs = 0
const samples: Record<string, Sample> = {
  'GET /health': {},
  'POST /echo': { body: { message: 'hi' } },
  'GET /count': { query: 'to=1' },
  'GET /status': {},
  'GET /fail': { query: 'after=1' },
  'GET /forever': { query: 'tag=agree' },
  'GET /finalized': { query: 'tag=agree' },
  'GET /big': { query: 'bytes=1&count=1' },
  'GET /named': { query: 'event=a&id=1' },
  'GET /quiet': {},
  'GET /memory': {},
  'GET /private': { headers: { authorization: 'Bearer ok' } },
  'POST /count': { body: { to: 1 } },
  'POST /forever': { body: { tag: 'agree' } },
  'GET /burst': { query: 'tag=agree&count=1' },
  'GET /hang': { query: 'tag=agree' },
  'GET /cookies': {},
  'POST /merge/7': { body: {} },
  // A fresh job per request: a second one with the same id is its declared 409.
  'POST /jobs': { body: () => ({ jobId: `agree-${String(++jobs)}` }) },
  'GET /double/2': {},
  'GET /gated': { query: 'tag=agree' },
  'GET /release': { query: 'tag=agree' },
  'GET /progressive-fail': { query: 'tag=agree&kind=ok' },
  'GET /resume': { query: 'id=agree' },
  'GET /kinds': { query: 'to=1' },
  'GET /kinds-progressive': {},
  // The served forms of the cases (`casesApp`).
  'GET /progress': {},
  'GET /feed': {},
  'GET /items/7': { query: 'page=2' },
  'POST /things': { body: { name: 'a' } },
}

const EVENT_STREAM = 'text/event-stream; charset=utf-8'

// The cases as they are written once wiring has said what to write instead.
function casesApp(): App {
  const app = createApp({ sse: { openWaitMs: 20 } })
  const Progress = z.object({ n: z.number() })
  // An event schema and `channel`: wired with `sse: true`, as the refusal says.
  const progress = defineFunction({
    event: Progress,
    output: Progress,
    func: ({ channel }) => {
      channel?.close({ n: 1 })
      return { n: 0 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/progress', func: progress, sse: true })
  // Another async iterable, streamed through an `async function*` that delegates to it.
  async function* subscription() {
    yield { n: 1 }
  }
  const feed = defineFunction({
    event: Progress,
    func: async function* () {
      yield* subscription()
    },
  })
  wireHTTP(app, { method: 'get', route: '/feed', func: feed })
  // A path param typed z.number(): coerced from the path.
  const item = defineFunction({
    input: z.object({ id: z.number(), page: z.number() }),
    func: ({ input }) => input,
  })
  wireHTTP(app, { method: 'get', route: '/items/:id', func: item })
  // A declared 201.
  const create = defineFunction({
    input: z.object({ name: z.string() }),
    status: 201,
    func: ({ input }) => input,
  })
  wireHTTP(app, { method: 'post', route: '/things', func: create })
  return app
}

function toRequest(method: string, url: string, sample: Sample, accept: string): CoreRequest {
  const body: unknown = typeof sample.body === 'function' ? (sample.body as () => unknown)() : sample.body
  const bytes = body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(body))
  const headers: Record<string, string> = { accept, ...sample.headers }
  if (sample.body !== undefined) headers['content-type'] = 'application/json'
  return {
    method,
    url: sample.query === undefined ? url : `${url}?${sample.query}`,
    headers,
    httpVersion: '1.1',
    body: () => Promise.resolve(bytes),
    signal: new AbortController().signal,
  }
}

// Only the head of a stream matters here: it is closed at once, so no generator is left running.
async function settle(response: CoreResponse): Promise<void> {
  const { body } = response
  if (body !== undefined && typeof body === 'object' && Symbol.asyncIterator in body) {
    await body[Symbol.asyncIterator]().return?.()
  }
}

/** The kind a route's answers show, and the status of the plain client's answer. */
async function served(
  app: App,
  method: string,
  url: string,
  sample: Sample,
): Promise<{ kind: RouteKind | string; status: number }> {
  const handle = createHandler(app)
  const answers: CoreResponse[] = []
  for (const accept of ['application/json', 'text/event-stream']) {
    const response = await handle(toRequest(method, url, sample, accept))
    await settle(response)
    answers.push(response)
  }
  const [plain, sse] = answers.map((answer) => answer.headers['content-type'] === EVENT_STREAM)
  const status = answers[0]?.status ?? 0
  if (answers.some((answer) => answer.status >= 300)) return { kind: 'an error status', status }
  if (plain === true) return { kind: sse === true ? 'stream' : 'plain client streamed only', status }
  return { kind: sse === true ? 'progressive' : 'json', status }
}

function documented(app: App, method: string, path: string, status: number): RouteKind | string {
  const doc = toOpenAPI(app) as unknown as {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
    >
  }
  const templated = path.replace(/:(\w+)/g, '{$1}')
  const content = doc.paths[templated]?.[method.toLowerCase()]?.responses[String(status)]?.content ?? {}
  const media = Object.keys(content).sort().join(' + ')
  const kinds: Record<string, RouteKind> = {
    'application/json': 'json',
    'text/event-stream': 'stream',
    'application/json + text/event-stream': 'progressive',
  }
  return kinds[media] ?? `media ${media}`
}

const apps = [
  { label: 'the fixture', app: createFixtureApp({ openWaitMs: 20 }) },
  { label: "issue 14's cases", app: casesApp() },
]

afterAll(async () => {
  for (const { app } of apps) await closeApp(app, { graceMs: 0 })
})

describe.each(apps)('server, client and OpenAPI agree on every route of $label', ({ app }) => {
  const generated = generateClient(app)

  it.each(app.routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s',
    async (_, route) => {
      const { contract } = route
      const url = contract.path.replace(/:(\w+)/g, (_param, name: string) =>
        name === 'id' ? '7' : name === 'n' ? '2' : '1',
      )
      const sample = samples[`${contract.method} ${url}`]
      expect(sample, `add a sample request for ${contract.method} ${url}`).toBeDefined()
      const source = await generated
      const factory = new RegExp(
        `\\b${contract.name}: caller\\.(json|stream|progressive|events|progressiveEvents)\\(`,
      ).exec(source)?.[1]
      // A function with several kinds (`events`) gets the same kinds of method, typed by kind.
      const method = { events: 'stream', progressiveEvents: 'progressive' }[factory ?? ''] ?? factory
      expect({
        server: await served(app, contract.method, url, sample ?? {}),
        client: method,
        openapi: documented(app, contract.method, contract.path, contract.status),
      }).toEqual({
        server: { kind: contract.kind, status: contract.kind === 'stream' ? 200 : contract.status },
        client: contract.kind,
        openapi: contract.kind,
      })
    },
  )
})
