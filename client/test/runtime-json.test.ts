import { describe, expect, it } from 'vitest'
import { createCaller, SluiceClientError, type ClientOptions } from '../src'
import { createFakeFetch, jsonResponse, sseResponse, type Reply } from './fake-fetch'

function setup(replies: Reply[], options: Partial<ClientOptions> = {}) {
  const { fetch, sent } = createFakeFetch(replies)
  const caller = createCaller({ baseUrl: 'http://127.0.0.1:1/api/', fetch, ...options })
  return { caller, sent }
}

describe('plain calls', () => {
  it('sends GET input as the query: params in the path, arrays as repeated keys, undefined left out', async () => {
    const { caller, sent } = setup([jsonResponse({ ok: true })])
    const get = caller.json<Record<string, unknown>, { ok: boolean }>('GET', '/jobs/:jobId/logs')
    const input = { jobId: 'a b/c', tag: ['x', 'y&z'], limit: 10, all: false, skip: undefined }
    expect(await get(input)).toEqual({ ok: true })
    const { request } = sent[0] ?? {}
    expect(request?.method).toBe('GET')
    expect(request?.url).toBe('http://127.0.0.1:1/api/jobs/a%20b%2Fc/logs?tag=x&tag=y%26z&limit=10&all=false')
    expect(request?.headers.get('accept')).toBe('application/json')
    expect(request?.headers.has('content-type')).toBe(false)
    expect(input.jobId).toBe('a b/c') // the caller's object is left alone
  })

  it('sends POST input as a JSON body without the path params', async () => {
    const { caller, sent } = setup([jsonResponse({ id: '7' }, 201)])
    const post = caller.json<Record<string, unknown>, { id: string }>('POST', '/jobs/:jobId/runs')
    expect(await post({ jobId: 7, note: 'hi', nested: { a: [1] } })).toEqual({ id: '7' })
    const request = sent[0]?.request
    expect(request?.url).toBe('http://127.0.0.1:1/api/jobs/7/runs')
    expect(request?.headers.get('content-type')).toBe('application/json')
    expect(await request?.json()).toEqual({ note: 'hi', nested: { a: [1] } })
  })

  it('sends no body for a POST without input, and resolves undefined for a 204', async () => {
    const { caller, sent } = setup([new Response(null, { status: 204 })])
    expect(await caller.json<undefined, undefined>('POST', '/ping')()).toBeUndefined()
    expect(sent[0]?.request.body).toBeNull()
  })

  it('merges the client headers (a function, computed per call) with the call headers', async () => {
    let token = 0
    const { caller, sent } = setup([jsonResponse(1), jsonResponse(2)], {
      headers: () => Promise.resolve({ authorization: `Bearer ${++token}`, 'x-app': 'a' }),
    })
    const get = caller.json<undefined, number>('GET', '/n')
    await get(undefined, { headers: { 'x-app': 'b' } })
    await get()
    expect(sent.map((s) => s.request.headers.get('authorization'))).toEqual(['Bearer 1', 'Bearer 2'])
    expect(sent.map((s) => s.request.headers.get('x-app'))).toEqual(['b', 'a'])
  })

  it('turns an error body into a SluiceClientError with status, code, message and details', async () => {
    const details = { issues: [{ path: ['message'], message: 'Required' }] }
    const { caller } = setup([
      jsonResponse({ error: { code: 'VALIDATION_ERROR', message: 'Invalid', details } }, 400),
    ])
    const error = await caller
      .json<object, unknown>(
        'POST',
        '/echo',
      )({})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SluiceClientError)
    expect(error).toMatchObject({
      name: 'SluiceClientError',
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'Invalid',
      details,
    })
  })

  it.each([
    [
      'an error status without a sluice body',
      new Response('Bad Gateway', { status: 502 }),
      'HTTP_ERROR',
      502,
    ],
    ['a body that is not JSON', new Response('<html>', { status: 200 }), 'BAD_RESPONSE', 200],
    ['no answer at all', new TypeError('fetch failed'), 'NETWORK', undefined],
  ])('rejects %s', async (_name, reply, code, status) => {
    const { caller } = setup([reply])
    await expect(caller.json<undefined, unknown>('GET', '/x')()).rejects.toMatchObject({ code, status })
  })

  it('rejects with CANCELLED when the signal aborts while the request is in flight', async () => {
    const controller = new AbortController()
    const { caller, sent } = setup([
      (request) => {
        const answer = new Promise<Response>((_, reject) =>
          request.signal.addEventListener('abort', () => reject(request.signal.reason as Error)),
        )
        controller.abort(new Error('left the page'))
        return answer
      },
    ])
    const pending = caller.json<undefined, unknown>('GET', '/slow')(undefined, { signal: controller.signal })
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED', cause: new Error('left the page') })
    expect(sent).toHaveLength(1)
  })

  it('refuses input the server could not read back, before sending anything', async () => {
    const { caller, sent } = setup([])
    const get = caller.json<Record<string, unknown>, unknown>('GET', '/jobs/:jobId')
    await expect(get({})).rejects.toThrow(/path parameter "jobId"/)
    await expect(get({ jobId: '' })).rejects.toThrow(TypeError)
    await expect(get({ jobId: 1, filter: { a: 1 } })).rejects.toThrow(/query value "filter"/)
    await expect(get({ jobId: 1, list: [null] })).rejects.toThrow(TypeError)
    expect(sent).toHaveLength(0)
  })

  it('calls a custom fetch as a plain function, as browsers require', async () => {
    const receivers: unknown[] = []
    const fetch = function (this: unknown) {
      receivers.push(this)
      return Promise.resolve(jsonResponse(true))
    } as unknown as typeof globalThis.fetch
    await createCaller({ baseUrl: 'http://127.0.0.1:1', fetch }).json<undefined, boolean>('GET', '/x')()
    expect(receivers).toEqual([undefined])
  })
})

describe('progressive calls', () => {
  it('answers JSON as a method, and streams the value then the events through .stream', async () => {
    const stream =
      ': open\nretry: 2000\n\ndata: {"state":"initial"}\n\ndata: {"state":"done"}\n\nevent: done\ndata: null\n\n'
    const { caller, sent } = setup([jsonResponse({ state: 'initial' }), sseResponse(stream)])
    type State = { state: string }
    const status = caller.progressive<undefined, State, State>('GET', '/status')
    expect(await status()).toEqual({ state: 'initial' })
    const call = status.stream()
    const states: string[] = []
    for await (const { state } of call) states.push(state)
    expect(states).toEqual(['initial', 'done'])
    expect(await call.result).toBeNull()
    expect(sent.map((s) => s.request.headers.get('accept'))).toEqual([
      'application/json',
      'text/event-stream',
    ])
  })
})
