import { describe, expect, it, vi } from 'vitest'
import { createCaller, SluiceClientError, type StreamCall } from '../src'
import { createFakeFetch, jsonResponse, recordedRetry, sseResponse, type Reply } from './fake-fetch'

const OPEN = ': sluice stream open\nretry: 2000\n\n'
const event = (i: number) => `id: ${i}\ndata: {"i":${i}}\n\n`
const done = (value: unknown) => `event: done\ndata: ${JSON.stringify(value)}\n\n`

type CountCall = StreamCall<{ i: number }, { total: number }>

/** A `count` stream method over scripted replies, with waits recorded instead of slept. */
function setup(
  replies: Reply[],
  options: { random?: number; maxAttempts?: number; maxDelayMs?: number } = {},
) {
  const { fetch, sent } = createFakeFetch(replies)
  const { waits, retry } = recordedRetry(options.random)
  const headers = vi.fn(() => ({ authorization: `Bearer ${sent.length + 1}` }))
  const caller = createCaller({
    baseUrl: 'http://127.0.0.1:1/',
    fetch,
    headers,
    retry: { ...retry, maxAttempts: options.maxAttempts, maxDelayMs: options.maxDelayMs },
  })
  const count = caller.stream<{ to: number }, { i: number }, { total: number }>('GET', '/count')
  return { count, sent, waits, headers }
}

async function collect(call: CountCall): Promise<number[]> {
  const seen: number[] = []
  for await (const { i } of call) seen.push(i)
  return seen
}

describe('stream calls', () => {
  it('yields the events, resolves result with done, and asks for text/event-stream', async () => {
    const { count, sent } = setup([sseResponse(OPEN + event(1) + event(2) + done({ total: 2 }))])
    const call = count({ to: 2 })
    expect(await collect(call)).toEqual([1, 2])
    expect(await call.result).toEqual({ total: 2 })
    expect(call.lastEventId).toBe('2')
    expect(sent).toHaveLength(1)
    expect(sent[0]?.request.url).toBe('http://127.0.0.1:1/count?to=2')
    expect(sent[0]?.request.headers.get('accept')).toBe('text/event-stream')
    expect(sent[0]?.request.headers.has('last-event-id')).toBe(false)
  })

  it('reconnects after a body that ends without done, with Last-Event-ID and fresh headers', async () => {
    const { count, sent, waits, headers } = setup([
      sseResponse(OPEN + event(1) + event(2)),
      sseResponse(OPEN + event(3) + done({ total: 3 })),
    ])
    const call = count({ to: 3 })
    expect(await collect(call)).toEqual([1, 2, 3])
    expect(await call.result).toEqual({ total: 3 })
    expect(sent.map((s) => s.request.headers.get('last-event-id'))).toEqual([null, '2'])
    expect(sent.map((s) => s.request.headers.get('authorization'))).toEqual(['Bearer 1', 'Bearer 2'])
    expect(headers).toHaveBeenCalledTimes(2)
    expect(waits).toEqual([2000]) // the server's retry, jitter x1 at random() = 0.5
  })

  it('reconnects after a network error mid-stream', async () => {
    const { count, sent } = setup([
      sseResponse(OPEN + event(1), { fail: true }),
      sseResponse(OPEN + event(2) + done({ total: 2 })),
    ])
    expect(await collect(count({ to: 2 }))).toEqual([1, 2])
    expect(sent[1]?.request.headers.get('last-event-id')).toBe('1')
  })

  it('uses initialDelayMs until the server sends retry, then the server value', async () => {
    const { count, waits } = setup([
      new TypeError('fetch failed'),
      sseResponse('retry: 300\n\n' + event(1)),
      sseResponse(done({ total: 1 })),
    ])
    await collect(count({ to: 1 }))
    expect(waits).toEqual([1000, 300])
  })

  it('backs off on consecutive failed connects, capped, and gives up after maxAttempts', async () => {
    const failure = () => new TypeError('connect ECONNREFUSED')
    const { count, sent, waits } = setup([failure(), failure(), failure(), failure(), failure()], {
      maxDelayMs: 3000,
    })
    const call = count({ to: 1 })
    const error = await collect(call).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SluiceClientError)
    expect(error).toMatchObject({ code: 'NETWORK', status: undefined })
    expect((error as Error).message).toContain('gave up after 5 failed connects')
    await expect(call.result).rejects.toBe(error)
    expect(sent).toHaveLength(5)
    expect(waits).toEqual([1000, 2000, 3000, 3000])
  })

  it('starts counting failures again once a stream opens', async () => {
    const { count, sent } = setup(
      [
        new TypeError('down'),
        sseResponse(OPEN + event(1)),
        new TypeError('down'),
        sseResponse(OPEN + event(2)),
        new TypeError('down'),
        sseResponse(OPEN + done({ total: 2 })),
      ],
      { maxAttempts: 2 },
    )
    expect(await collect(count({ to: 2 }))).toEqual([1, 2])
    expect(sent).toHaveLength(6)
  })

  it('retries a 503 on a reconnect, but not on the first connect', async () => {
    const unavailable = () => jsonResponse({ error: { code: 'SERVICE_UNAVAILABLE', message: 'later' } }, 503)
    const first = setup([unavailable()])
    await expect(first.count({ to: 1 }).result).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
    })
    expect(first.sent).toHaveLength(1)
    const again = setup([sseResponse(OPEN + event(1)), unavailable(), sseResponse(done({ total: 1 }))])
    expect(await again.count({ to: 1 }).result).toEqual({ total: 1 })
    expect(again.sent).toHaveLength(3)
  })

  it('resumes from the lastEventId option', async () => {
    const { count, sent } = setup([sseResponse(OPEN + event(4) + done({ total: 4 }))])
    expect(await collect(count({ to: 4 }, { lastEventId: '3' }))).toEqual([4])
    expect(sent[0]?.request.headers.get('last-event-id')).toBe('3')
  })
})

describe('stream calls never reconnect after', () => {
  it.each([
    ['done', sseResponse(OPEN + done({ total: 0 })), undefined],
    [
      'an error event',
      sseResponse(OPEN + event(1) + 'event: error\ndata: {"code":"FAILED","message":"no"}\n\n'),
      'FAILED',
    ],
    ['a 4xx', jsonResponse({ error: { code: 'UNAUTHORIZED', message: 'who?' } }, 401), 'UNAUTHORIZED'],
    [
      'a 500',
      jsonResponse({ error: { code: 'INTERNAL', message: 'Internal server error' } }, 500),
      'INTERNAL',
    ],
    ['a 204', new Response(null, { status: 204 }), 'NO_CONTENT'],
    ['a wrong content type', jsonResponse({ state: 'initial' }), 'BAD_CONTENT_TYPE'],
  ])('%s', async (_name, reply, code) => {
    // A second reply is there to be taken: a reconnect would succeed, and show.
    const { count, sent, waits } = setup([reply, sseResponse(OPEN + done({ total: 9 }))])
    const call = count({ to: 1 })
    if (code === undefined) expect(await call.result).toEqual({ total: 0 })
    else await expect(call.result).rejects.toMatchObject({ name: 'SluiceClientError', code })
    expect(sent).toHaveLength(1)
    expect(waits).toEqual([])
  })

  it('an error event, and the for await loop throws it with the server code and message', async () => {
    const { count } = setup([
      sseResponse(OPEN + event(1) + 'event: error\ndata: {"code":"FAILED","message":"no"}\n\n'),
    ])
    const seen: number[] = []
    const error = await (async () => {
      for await (const { i } of count({ to: 2 })) seen.push(i)
    })().catch((e: unknown) => e)
    expect(seen).toEqual([1])
    expect(error).toMatchObject({ code: 'FAILED', message: 'no', status: undefined })
  })

  it('a 4xx, with the status, code, message and details of the error body', async () => {
    const details = { issues: [{ path: ['to'], message: 'Too small' }] }
    const body = { error: { code: 'VALIDATION_ERROR', message: 'Invalid input', details } }
    const { count } = setup([jsonResponse(body, 400)])
    const error = await count({ to: -1 }).result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SluiceClientError)
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', message: 'Invalid input', details })
  })
})
