import { describe, expect, it } from 'vitest'
import { createCaller, type ClientOptions, type OnResponse } from '../src'
import {
  createFakeFetch,
  jsonResponse,
  openSseResponse,
  recordedRetry,
  sseResponse,
  type Reply,
} from './fake-fetch'

const OPEN = ': sluice stream open\nretry: 2000\n\n'
const event = (i: number) => `id: ${i}\ndata: {"i":${i}}\n\n`
const done = (value: unknown) => `event: done\ndata: ${JSON.stringify(value)}\n\n`
const unauthorized = () => jsonResponse({ error: { code: 'UNAUTHORIZED', message: 'Who are you?' } }, 401)

function setup(replies: Reply[], options: Partial<ClientOptions> = {}) {
  const { fetch, sent } = createFakeFetch(replies)
  const { retry } = recordedRetry()
  const caller = createCaller({ baseUrl: 'http://127.0.0.1:1', fetch, retry, ...options })
  return {
    sent,
    echo: caller.json<{ message: string }, { message: string }>('POST', '/echo'),
    count: caller.stream<{ to: number }, { i: number }, { total: number }>('GET', '/count'),
  }
}

/** The usual token refresh: on a 401, get a new token and send the request once more. */
function refreshingAuth() {
  let token = 'stale'
  const refreshes: number[] = []
  const onResponse: OnResponse = async ({ response, retry }) => {
    if (response.status !== 401) return undefined
    token = 'fresh'
    refreshes.push(refreshes.length + 1)
    return retry()
  }
  return { headers: () => ({ authorization: `Bearer ${token}` }), onResponse, refreshes }
}

describe('onRequest', () => {
  it('adds a header to JSON calls and to every connect of a stream, reconnects included', async () => {
    const seen: string[] = []
    const { sent, echo, count } = setup(
      [
        jsonResponse({ message: 'hi' }),
        sseResponse(OPEN + event(1)),
        sseResponse(OPEN + event(2) + done({ total: 2 })),
      ],
      {
        onRequest: ({ request, route }) => {
          seen.push(`${route.method} ${route.path} ${request.headers.get('last-event-id') ?? '-'}`)
          request.headers.set('x-trace', String(seen.length))
          return undefined
        },
      },
    )
    expect(await echo({ message: 'hi' })).toEqual({ message: 'hi' })
    expect(await count({ to: 2 }).result).toEqual({ total: 2 })
    expect(seen).toEqual(['POST /echo -', 'GET /count -', 'GET /count 1'])
    expect(sent.map(({ request }) => request.headers.get('x-trace'))).toEqual(['1', '2', '3'])
    expect(await sent[0]?.request.text()).toBe('{"message":"hi"}')
  })

  it('can replace the request, and cancelling still aborts it', async () => {
    const { sent, count } = setup([(request) => openSseResponse(OPEN + event(1), request.signal)], {
      // A new Request without the call's signal: the client still passes its own.
      onRequest: ({ request }) => new Request(`${request.url}&via=hook`, { headers: request.headers }),
    })
    const call = count({ to: 5 })
    for await (const { i } of call) if (i === 1) break
    expect(sent[0]?.request.url).toBe('http://127.0.0.1:1/count?to=5&via=hook')
    expect(sent[0]?.request.signal.aborted).toBe(true)
    await expect(call.result).rejects.toMatchObject({ code: 'CANCELLED' })
  })

  it('a throw fails the call with that error, and a stream does not retry it', async () => {
    const broken = new Error('no token store')
    const { sent, echo, count } = setup([], {
      onRequest: () => {
        throw broken
      },
    })
    await expect(echo({ message: 'hi' })).rejects.toBe(broken)
    await expect(count({ to: 1 }).result).rejects.toBe(broken)
    expect(sent).toHaveLength(0)
  })
})

describe('onResponse', () => {
  it('sees every response, for logging, without changing it', async () => {
    const log: string[] = []
    const { echo, count } = setup([jsonResponse({ message: 'hi' }), sseResponse(OPEN + done({ total: 0 }))], {
      onResponse: ({ request, response }) => {
        log.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`)
        return undefined
      },
    })
    await echo({ message: 'hi' })
    await count({ to: 0 }).result
    expect(log).toEqual(['POST /echo 200', 'GET /count 200'])
  })

  it('refreshes a token and retries once on a 401: a JSON call', async () => {
    const auth = refreshingAuth()
    const { sent, echo } = setup([unauthorized(), jsonResponse({ message: 'hi' })], auth)
    expect(await echo({ message: 'hi' })).toEqual({ message: 'hi' })
    expect(sent.map(({ request }) => request.headers.get('authorization'))).toEqual([
      'Bearer stale',
      'Bearer fresh',
    ])
    expect(await sent[1]?.request.text()).toBe('{"message":"hi"}') // the body sent again
    expect(auth.refreshes).toEqual([1])
  })

  it('refreshes a token and retries once on a 401: a stream connect', async () => {
    const auth = refreshingAuth()
    const { sent, count } = setup([unauthorized(), sseResponse(OPEN + event(1) + done({ total: 1 }))], auth)
    const call = count({ to: 1 })
    const seen: number[] = []
    for await (const { i } of call) seen.push(i)
    expect(seen).toEqual([1])
    expect(sent.map(({ request }) => request.headers.get('authorization'))).toEqual([
      'Bearer stale',
      'Bearer fresh',
    ])
  })

  it('retries only once: a second 401 rejects with UNAUTHORIZED, and retry() refuses a second call', async () => {
    const second: unknown[] = []
    const { sent, echo } = setup([unauthorized(), unauthorized()], {
      onResponse: async ({ response, retry }) => {
        if (response.status !== 401) return undefined
        const again = await retry()
        second.push(await retry().catch((error: unknown) => error))
        return again
      },
    })
    await expect(echo({ message: 'hi' })).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    expect(sent).toHaveLength(2)
    expect(second).toEqual([new TypeError('sluice: retry() sends a request again only once')])
  })

  it("uses retry()'s response when the hook returns nothing", async () => {
    const { echo } = setup([unauthorized(), jsonResponse({ message: 'hi' })], {
      onResponse: async ({ response, retry }) => {
        if (response.status === 401) await retry()
        return undefined
      },
    })
    expect(await echo({ message: 'hi' })).toEqual({ message: 'hi' })
  })

  it('a network failure of the retry rejects with NETWORK', async () => {
    const { echo } = setup([unauthorized(), new TypeError('fetch failed')], refreshingAuth())
    await expect(echo({ message: 'hi' })).rejects.toMatchObject({ code: 'NETWORK' })
  })
})
