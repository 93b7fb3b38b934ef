import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { CoreRequest, CoreResponse } from '../adapter/types'
import { createApp, type AppOptions } from '../app/create-app'
import { defineFunction, type FunctionContext } from '../app/define-function'
import { wireHTTP, type WireOptions } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import { withEvent } from '../stream/with-event'
import { createHandler } from './handle-request'

type AnyContext = FunctionContext<unknown, unknown, unknown>

interface RequestInit {
  headers?: Record<string, string>
  body?: string | Uint8Array
  bodyError?: Error
  httpVersion?: string
}

function request(
  method: string,
  url: string,
  init: RequestInit = {},
): CoreRequest & { client: AbortController; readBody: ReturnType<typeof vi.fn> } {
  const client = new AbortController()
  const bytes = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body
  const body = vi.fn((_maxBytes: number) =>
    init.bodyError === undefined
      ? Promise.resolve(bytes ?? new Uint8Array())
      : Promise.reject(init.bodyError),
  )
  return {
    method,
    url,
    headers: init.headers ?? {},
    httpVersion: init.httpVersion ?? '1.1',
    body,
    signal: client.signal,
    client,
    readBody: body,
  }
}

function post(url: string, value: unknown, headers: Record<string, string> = {}) {
  return request('POST', url, {
    body: JSON.stringify(value),
    headers: { 'content-type': 'application/json', ...headers },
  })
}

function text(response: CoreResponse): string {
  const { body } = response
  if (body === undefined) return ''
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return new TextDecoder().decode(body)
  throw new Error('the body is a stream')
}

function json(response: CoreResponse): unknown {
  return JSON.parse(text(response))
}

async function frames(response: CoreResponse): Promise<string[]> {
  const { body } = response
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    throw new Error('the body is not a stream')
  }
  // Frames, not chunks: the stream batches events that arrive in one turn into one write.
  let text = ''
  for await (const chunk of body) text += chunk
  return text.match(/[\s\S]*?\n\n/g) ?? []
}

/** An app with one function wired; returns its handler, the onError spy and the last ctx. */
function setup(
  wire: Omit<WireOptions<ReturnType<typeof defineFunction>>, 'func'> & { func: unknown },
  options: AppOptions = {},
) {
  const onError = vi.fn()
  const app = createApp({ onError, sse: { heartbeatMs: 0 }, ...options })
  wireHTTP(app, wire as WireOptions<ReturnType<typeof defineFunction>>)
  return { handle: createHandler(app), onError, app }
}

const INTERNAL = { error: { code: 'INTERNAL', message: 'Internal server error' } }

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('createHandler: routing', () => {
  const ok = defineFunction({ func: () => ({ ok: true }) })

  it('answers 200 JSON for a plain function', async () => {
    const { handle } = setup({ method: 'get', route: '/health', func: ok })
    const response = await handle(request('GET', '/health'))
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(json(response)).toEqual({ ok: true })
    expect(response.headers['content-length']).toBe(String(text(response).length))
  })

  it('answers 404 NOT_FOUND for an unknown path', async () => {
    const { handle } = setup({ method: 'get', route: '/health', func: ok })
    const response = await handle(request('GET', '/nope?x=1'))
    expect(response.status).toBe(404)
    expect(json(response)).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })

  it('answers 405 with an allow header', async () => {
    const { handle } = setup({ method: 'get', route: '/health', func: ok })
    const response = await handle(post('/health', {}))
    expect(response.status).toBe(405)
    expect(response.headers['allow']).toBe('GET, HEAD')
    expect(json(response)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } })
  })

  it('answers 400 for a malformed percent-encoded param', async () => {
    const { handle } = setup({ method: 'get', route: '/jobs/:id', func: ok })
    const response = await handle(request('GET', '/jobs/%E0%A4%A'))
    expect(response.status).toBe(400)
    expect(json(response)).toMatchObject({ error: { code: 'BAD_REQUEST' } })
  })

  it('routes an absolute-form request target', async () => {
    const { handle } = setup({ method: 'get', route: '/health', func: ok })
    expect((await handle(request('GET', 'http://example.test/health?x=1'))).status).toBe(200)
  })

  it('answers HEAD on a GET route without a body but with its length', async () => {
    const { handle } = setup({ method: 'get', route: '/health', func: ok })
    const response = await handle(request('HEAD', '/health'))
    expect(response.status).toBe(200)
    expect(response.body).toBeUndefined()
    expect(response.headers['content-length']).toBe(String('{"ok":true}'.length))
  })
})

describe('createHandler: input', () => {
  const echo = defineFunction({
    input: z.object({ message: z.string().min(1), count: z.number().int().optional() }),
    func: ({ input }) => ({ message: input.message }),
  })

  it('passes validated input to the function', async () => {
    const { handle } = setup({ method: 'post', route: '/echo', func: echo })
    const response = await handle(post('/echo', { message: 'hi' }))
    expect(response.status).toBe(200)
    expect(json(response)).toEqual({ message: 'hi' })
  })

  it('answers 400 VALIDATION_ERROR with issues from a zod schema', async () => {
    const { handle } = setup({ method: 'post', route: '/echo', func: echo })
    const response = await handle(post('/echo', { message: 5, count: 1.5 }))
    expect(response.status).toBe(400)
    const body = json(response) as {
      error: { code: string; message: string; details: { issues: unknown[] } }
    }
    expect(body.error.code).toBe('VALIDATION_ERROR')
    expect(body.error.message).toMatch(/^Invalid input: message: /)
    expect(body.error.details.issues).toEqual([
      { path: ['message'], message: expect.any(String) as unknown },
      { path: ['count'], message: expect.any(String) as unknown },
    ])
  })

  it('answers 400 VALIDATION_ERROR with issues from a JSON Schema (ajv)', async () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['n'],
      additionalProperties: false,
    } as const
    const func = defineFunction({ input: schema, func: ({ input }) => ({ n: input.n }) })
    const { handle } = setup({ method: 'post', route: '/n', func })

    const low = await handle(post('/n', { n: 0 }))
    expect(low.status).toBe(400)
    expect(json(low)).toMatchObject({
      error: { code: 'VALIDATION_ERROR', details: { issues: [{ path: ['n'], message: 'must be >= 1' }] } },
    })

    const missing = await handle(post('/n', { tags: ['a', {}] }))
    const issues = (json(missing) as { error: { details: { issues: unknown[] } } }).error.details.issues
    expect(issues).toContainEqual({ path: [], message: "must have required property 'n'" })
    expect(issues).toContainEqual({ path: ['tags', '1'], message: 'must be string' })

    expect(json(await handle(post('/n', { n: 2 })))).toEqual({ n: 2 })
  })

  it('coerces query strings for a JSON Schema input', async () => {
    const schema = { type: 'object', properties: { to: { type: 'integer' } }, required: ['to'] } as const
    const func = defineFunction({
      input: schema,
      func: ({ input }) => ({ to: input.to, type: typeof input.to }),
    })
    const { handle } = setup({ method: 'get', route: '/count', func })
    expect(json(await handle(request('GET', '/count?to=3')))).toEqual({ to: 3, type: 'number' })
  })

  it('merges path params, query and body', async () => {
    let seen: unknown
    const func = defineFunction({ func: ({ input }) => void (seen = input) })
    const { handle } = setup({ method: 'post', route: '/jobs/:jobId', func })
    const response = await handle(post('/jobs/a%20b?mode=fast&tag=x&tag=y', { priority: 1 }))
    expect(response.status).toBe(204)
    expect(seen).toEqual({ jobId: 'a b', mode: 'fast', tag: ['x', 'y'], priority: 1 })
  })

  it('answers 400 CONFLICTING_INPUT for the same key in path and body', async () => {
    const func = defineFunction({ func: () => ({}) })
    const { handle } = setup({ method: 'post', route: '/jobs/:jobId', func })
    const response = await handle(post('/jobs/1', { jobId: 2 }))
    expect(response.status).toBe(400)
    expect(json(response)).toMatchObject({ error: { code: 'CONFLICTING_INPUT', details: { key: 'jobId' } } })
  })

  it('answers 415 for a body that is not JSON, and 400 for broken JSON', async () => {
    const { handle } = setup({ method: 'post', route: '/echo', func: echo })
    const form = await handle(
      request('POST', '/echo', { body: 'a=1', headers: { 'content-type': 'text/plain' } }),
    )
    expect(form.status).toBe(415)
    const broken = await handle(
      request('POST', '/echo', { body: '{', headers: { 'content-type': 'application/json' } }),
    )
    expect(broken.status).toBe(400)
    expect(json(broken)).toMatchObject({ error: { code: 'INVALID_JSON' } })
  })

  it('answers 400 for a __proto__ key and leaves Object.prototype alone', async () => {
    const func = defineFunction({ func: () => ({}) })
    const { handle } = setup({ method: 'post', route: '/p', func })
    const response = await handle(
      request('POST', '/p', {
        body: '{"a":{"__proto__":{"polluted":true}}}',
        headers: { 'content-type': 'application/json' },
      }),
    )
    expect(response.status).toBe(400)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('answers 413 with connection: close when body() rejects with PAYLOAD_TOO_LARGE', async () => {
    const { handle, onError } = setup(
      { method: 'post', route: '/echo', func: echo },
      { limits: { bodyBytes: 10 } },
    )
    const req = request('POST', '/echo', {
      headers: { 'content-type': 'application/json' },
      bodyError: new WireError('PAYLOAD_TOO_LARGE', 'Request body is larger than 10 bytes'),
    })
    const response = await handle(req)
    expect(response.status).toBe(413)
    expect(response.headers['connection']).toBe('close')
    expect(json(response)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } })
    expect(req.readBody).toHaveBeenCalledWith(10)
    expect(onError).not.toHaveBeenCalled()
  })

  it('does not read a body for GET', async () => {
    const func = defineFunction({ func: () => ({}) })
    const { handle } = setup({ method: 'get', route: '/g', func })
    const req = request('GET', '/g', { body: 'ignored' })
    expect((await handle(req)).status).toBe(200)
    expect(req.readBody).not.toHaveBeenCalled()
  })
})

describe('createHandler: auth', () => {
  const whoami = defineFunction({ func: ({ session }) => ({ session }) })

  it('answers 401 when authenticate returns undefined on an auth route', async () => {
    const authenticate = vi.fn(() => undefined)
    const { handle } = setup({ method: 'get', route: '/private', func: whoami, auth: true }, { authenticate })
    const response = await handle(request('GET', '/private', { headers: { authorization: 'Bearer no' } }))
    expect(response.status).toBe(401)
    expect(json(response)).toMatchObject({ error: { code: 'UNAUTHORIZED' } })
    expect(authenticate).toHaveBeenCalledWith(expect.objectContaining({ method: 'GET', path: '/private' }))
  })

  it('answers 401 on an auth route when the app has no authenticate', async () => {
    const { handle } = setup({ method: 'get', route: '/private', func: whoami, auth: true })
    expect((await handle(request('GET', '/private'))).status).toBe(401)
  })

  it('hands the session to the function', async () => {
    const authenticate = async ({ headers }: { headers: Readonly<Record<string, string | undefined>> }) =>
      Promise.resolve(headers['authorization'] === 'Bearer ok' ? { user: 'u1' } : undefined)
    const { handle } = setup({ method: 'get', route: '/private', func: whoami, auth: true }, { authenticate })
    const response = await handle(request('GET', '/private', { headers: { authorization: 'Bearer ok' } }))
    expect(response.status).toBe(200)
    expect(json(response)).toEqual({ session: { user: 'u1' } })
  })
})

describe('createHandler: the synchronous path', () => {
  // A thenable that is not a native promise, as some libraries (and old query builders) return.
  const later = <T>(value: T) => ({
    then: (resolve: (value: T) => void) => setTimeout(() => resolve(value), 1),
  })

  it('waits for a thenable a function returns, as await would', async () => {
    const func = defineFunction({ func: () => later({ late: true }) as unknown as { late: boolean } })
    const { handle } = setup({ method: 'get', route: '/late', func })
    const response = await handle(request('GET', '/late'))
    expect(response.status).toBe(200)
    expect(json(response)).toEqual({ late: true })
  })

  it('waits for a thenable authenticate returns before deciding a 401', async () => {
    const authenticate = () => later({ user: 'u1' }) as unknown as { user: string }
    const whoami = defineFunction({ func: ({ session }) => ({ session }) })
    const { handle } = setup({ method: 'get', route: '/me', func: whoami, auth: true }, { authenticate })
    const response = await handle(request('GET', '/me'))
    expect(response.status).toBe(200)
    expect(json(response)).toEqual({ session: { user: 'u1' } })
  })

  it('answers a throw in authenticate, and a cors origin check that throws rejects', async () => {
    const authenticate = () => {
      throw new Error('auth backend down')
    }
    const func = defineFunction({ func: () => ({ ok: true }) })
    const { handle, onError } = setup({ method: 'get', route: '/x', func }, { authenticate })
    const response = await handle(request('GET', '/x'))
    expect(response.status).toBe(500)
    expect(json(response)).toStrictEqual(INTERNAL)
    expect(onError).toHaveBeenCalledOnce()
    const origin = () => {
      throw new Error('origin list unavailable')
    }
    const cors = setup({ method: 'get', route: '/x', func }, { cors: { origin } })
    const preflight = request('OPTIONS', '/x', {
      headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
    })
    await expect(cors.handle(preflight)).rejects.toThrow('origin list unavailable')
  })
})

describe('createHandler: errors', () => {
  const SECRET = 'ECONNREFUSED /srv/secret/db.sock password=hunter2'
  const crash = defineFunction({
    func: () => {
      throw new Error(SECRET)
    },
  })

  it.each([undefined, 'production', 'development'])(
    'answers a thrown Error as a generic 500 with NODE_ENV=%s',
    async (env) => {
      vi.stubEnv('NODE_ENV', env)
      expect(process.env['NODE_ENV']).toBe(env)
      const { handle, onError } = setup({ method: 'get', route: '/crash', func: crash })
      const response = await handle(request('GET', '/crash'))
      expect(response.status).toBe(500)
      expect(json(response)).toStrictEqual(INTERNAL)
      const raw = text(response)
      expect(raw).not.toContain('ECONNREFUSED')
      expect(raw).not.toContain('secret')
      expect(raw).not.toContain('stack')
      expect(raw).not.toContain('.ts')
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: SECRET }), expect.anything())
    },
  )

  it('answers a rejected promise the same way', async () => {
    const func = defineFunction({ func: async () => Promise.reject(new Error(SECRET)) })
    const { handle } = setup({ method: 'get', route: '/crash', func })
    const response = await handle(request('GET', '/crash'))
    expect(response.status).toBe(500)
    expect(json(response)).toStrictEqual(INTERNAL)
  })

  it('keeps the code, status, message and details of a thrown WireError', async () => {
    const func = defineFunction({
      func: () => {
        throw new WireError('CONFLICT', 'Job already running', { details: { jobId: '1' } })
      },
    })
    const { handle, onError } = setup({ method: 'get', route: '/c', func })
    const response = await handle(request('GET', '/c'))
    expect(response.status).toBe(409)
    expect(json(response)).toStrictEqual({
      error: { code: 'CONFLICT', message: 'Job already running', details: { jobId: '1' } },
    })
    expect(onError).not.toHaveBeenCalled()
  })

  it('keeps an explicit status on a custom code', async () => {
    const func = defineFunction({
      func: () => {
        throw new WireError('GONE', 'Deleted', { status: 410 })
      },
    })
    const { handle } = setup({ method: 'get', route: '/g', func })
    const response = await handle(request('GET', '/g'))
    expect(response.status).toBe(410)
    expect(json(response)).toStrictEqual({ error: { code: 'GONE', message: 'Deleted' } })
  })

  it('answers 500 INVALID_OUTPUT when the return value breaks the output schema', async () => {
    const func = defineFunction({
      output: z.object({ id: z.string() }),
      func: () => ({ id: 42 }) as unknown as { id: string },
    })
    const { handle } = setup({ method: 'get', route: '/o', func })
    const response = await handle(request('GET', '/o'))
    expect(response.status).toBe(500)
    expect(json(response)).toMatchObject({ error: { code: 'INVALID_OUTPUT' } })
    expect(text(response)).not.toContain('42')
  })

  it('answers 204 with no body when a plain function returns undefined', async () => {
    const func = defineFunction({ func: async () => {} })
    const { handle } = setup({ method: 'post', route: '/fire', func })
    const response = await handle(post('/fire', {}))
    expect(response.status).toBe(204)
    expect(response.body).toBeUndefined()
  })
})

describe('createHandler: generators', () => {
  it('streams a generator with the SSE headers', async () => {
    const func = defineFunction({
      event: z.object({ i: z.number() }),
      output: z.object({ total: z.number() }),
      func: async function* () {
        yield withEvent({ id: '1' }, { i: 1 })
        yield { i: 2 }
        return { total: 2 }
      },
    })
    const { handle } = setup({ method: 'get', route: '/count', func })
    const response = await handle(request('GET', '/count'))
    expect(response.status).toBe(200)
    expect(response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    })
    // The runtime keeps or closes the connection as the client asked (RFC 9112 §9.6).
    expect(response.headers['connection']).toBeUndefined()
    const out = await frames(response)
    expect(out[0]).toMatch(/^: .*\nretry: 2000\n\n$/)
    expect(out.slice(1)).toEqual([
      'id: 1\ndata: {"i":1}\n\n',
      'data: {"i":2}\n\n',
      'event: done\ndata: {"total":2}\n\n',
    ])
  })

  it('sends no connection header on HTTP/2 and adds configured headers', async () => {
    const func = defineFunction({
      func: async function* () {
        yield 1
      },
    })
    const { handle } = setup(
      { method: 'get', route: '/s', func, stream: { headers: { 'x-route': 'r' } } },
      { sse: { heartbeatMs: 0, headers: { 'x-app': 'a' } } },
    )
    const response = await handle(request('GET', '/s', { httpVersion: '2.0' }))
    expect(response.headers['connection']).toBeUndefined()
    expect(response.headers).toMatchObject({ 'x-app': 'a', 'x-route': 'r' })
    await frames(response)
  })

  it('answers a real status with JSON when the generator throws before its first yield', async () => {
    const notFound = defineFunction({
      func: async function* () {
        throw new WireError('NOT_FOUND', 'No such job')
      },
    })
    const crash = defineFunction({
      func: async function* () {
        throw new Error('secret detail')
      },
    })
    const app = createApp({ onError: () => undefined })
    wireHTTP(app, { method: 'get', route: '/nf', func: notFound })
    wireHTTP(app, { method: 'get', route: '/crash', func: crash })
    const handle = createHandler(app)

    const missing = await handle(request('GET', '/nf', { headers: { accept: 'text/event-stream' } }))
    expect(missing.status).toBe(404)
    expect(missing.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(json(missing)).toStrictEqual({ error: { code: 'NOT_FOUND', message: 'No such job' } })

    const crashed = await handle(request('GET', '/crash'))
    expect(crashed.status).toBe(500)
    expect(json(crashed)).toStrictEqual(INTERNAL)
    expect(text(crashed)).not.toContain('secret')
  })

  it('gives the function the Last-Event-ID and aborts its signal when the client leaves', async () => {
    let ctx: AnyContext | undefined
    let resolveFinalized!: () => void
    const finalized = new Promise<void>((resolve) => (resolveFinalized = resolve))
    const func = defineFunction({
      func: async function* (context) {
        ctx = context
        try {
          for (let i = Number(context.lastEventId) + 1; ; i++) {
            yield withEvent({ id: String(i) }, i)
            await new Promise((resolve) => setTimeout(resolve, 1))
          }
        } finally {
          resolveFinalized()
        }
      },
    })
    const { handle } = setup({ method: 'get', route: '/forever', func })
    const req = request('GET', '/forever', { headers: { 'last-event-id': '41' } })
    const response = await handle(req)
    const body = (response.body as AsyncIterable<string>)[Symbol.asyncIterator]()
    expect((await body.next()).value).toMatch(/^: /)
    expect((await body.next()).value).toBe('id: 42\ndata: 42\n\n')
    expect(ctx?.lastEventId).toBe('41')
    req.client.abort()
    await finalized
    expect(ctx?.signal.aborted).toBe(true)
    expect((await body.next()).done).toBe(true)
  })
})

describe('createHandler: progressive (sse: true) routes', () => {
  function statusApp() {
    const contexts: AnyContext[] = []
    const State = z.object({ state: z.enum(['initial', 'pending', 'done']) })
    const func = defineFunction({
      output: State,
      event: State,
      func: (ctx) => {
        contexts.push(ctx)
        if (ctx.channel !== undefined) {
          ctx.channel.send({ state: 'pending' })
          ctx.channel.close({ state: 'done' })
        }
        return { state: 'initial' as const }
      },
    })
    return { ...setup({ method: 'get', route: '/status', func, sse: true }), contexts }
  }

  it.each([undefined, '*/*', 'application/json', 'text/event-stream;q=0'])(
    'answers JSON with channel undefined for Accept %j',
    async (accept) => {
      const { handle, contexts } = statusApp()
      const headers: Record<string, string> = accept === undefined ? {} : { accept }
      const response = await handle(request('GET', '/status', { headers }))
      expect(response.status).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      expect(response.headers['vary']).toBe('accept')
      expect(json(response)).toEqual({ state: 'initial' })
      expect(contexts).toHaveLength(1)
      expect(contexts[0]?.channel).toBeUndefined()
    },
  )

  it('streams the initial value, sent values and done for Accept: text/event-stream', async () => {
    const { handle, contexts } = statusApp()
    const response = await handle(request('GET', '/status', { headers: { accept: 'text/event-stream' } }))
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(response.headers['vary']).toBe('accept')
    expect(contexts[0]?.channel).toBeDefined()
    const out = await frames(response)
    expect(out[0]).toMatch(/^: .*\nretry: \d+\n\n$/)
    expect(out.slice(1)).toEqual([
      'data: {"state":"initial"}\n\n',
      'data: {"state":"pending"}\n\n',
      'event: done\ndata: {"state":"done"}\n\n',
    ])
  })

  it('rejects sse: true on a non-GET route at wiring time', () => {
    const app = createApp()
    const func = defineFunction({ func: () => ({}) })
    expect(() => wireHTTP(app, { method: 'post', route: '/x', func, sse: true })).toThrow(/GET/)
  })
})
