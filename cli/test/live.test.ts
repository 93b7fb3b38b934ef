import { setTimeout as sleep } from 'node:timers/promises'
import { createFixtureApp } from '@sluice/conformance/fixture'
import type { Served } from '@sluice/core/adapter'
import { runtimes } from '@sluice/conformance/runtimes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionState } from '@sluice/client'
import { createClient, SluiceClientError, type ClientOptions } from './golden/fixture-client'
import { startStallProxy } from './stall-proxy'

/** A fetch that counts its calls and keeps each request's headers. */
function countingFetch() {
  const sent: Headers[] = []
  const fetch: typeof globalThis.fetch = (input, init) => {
    // With request hooks the client sends a Request, whose headers are its own.
    sent.push(new Headers(input instanceof Request ? input.headers : init?.headers))
    return globalThis.fetch(input, init)
  }
  return { fetch, sent }
}

const tagOf = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`

// The generated client of the fixture, against the fixture served on every runtime.
describe.each(Object.keys(runtimes) as (keyof typeof runtimes)[])('generated client on %s', (runtime) => {
  const servers: { main?: Served; short?: Served; beat?: Served } = {}
  beforeAll(async () => {
    servers.main = await runtimes[runtime](createFixtureApp(), 0)
    servers.short = await runtimes[runtime](createFixtureApp({ maxDurationMs: 150 }), 0)
    // A ping after 100 ms of quiet: the client counts the connection dead after 2 x 100 + 2000 ms.
    servers.beat = await runtimes[runtime](createFixtureApp({ heartbeatMs: 100 }), 0)
  })
  afterAll(async () => {
    await Promise.all([servers.main?.close(), servers.short?.close(), servers.beat?.close()])
  })

  /** A client of one server, with its fetches counted; `retry` waits are recorded, not slept. */
  function connect(server: 'main' | 'short' | 'beat' = 'main', options: Partial<ClientOptions> = {}) {
    const { fetch, sent } = countingFetch()
    const waits: number[] = []
    const wait = (ms: number) => {
      waits.push(ms)
      return Promise.resolve()
    }
    const baseUrl = servers[server]?.url ?? 'http://127.0.0.1:1'
    const client = createClient({ baseUrl, fetch, retry: { wait }, ...options })
    return { client, sent, waits }
  }

  async function isFinalized(tag: string): Promise<boolean> {
    const deadline = Date.now() + 1000
    for (;;) {
      const { finalized } = (await connect().client.finalized({ tag })) as { finalized: boolean }
      if (finalized || Date.now() > deadline) return finalized
      await sleep(20)
    }
  }

  it('makes plain calls and surfaces a 400 as a SluiceClientError', async () => {
    const { client } = connect()
    expect(await client.health()).toEqual({ ok: true })
    expect(await client.echo({ message: 'hello' })).toEqual({ message: 'hello' })
    const error = await client.echo({ message: '' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SluiceClientError)
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' })
    expect((error as SluiceClientError).details).toMatchObject({ issues: [{ path: ['message'] }] })
  })

  it('streams count with for await, then resolves its done value', async () => {
    const { client, sent } = connect()
    const call = client.getCount({ to: 5 })
    const seen: number[] = []
    for await (const { i } of call) seen.push(i)
    expect(seen).toEqual([1, 2, 3, 4, 5])
    expect(await call.result).toEqual({ total: 5 })
    expect(sent).toHaveLength(1)
  })

  it('streams a POST with a JSON body, through onEvent', async () => {
    const seen: number[] = []
    const total = await connect().client.postCount({ to: 3 }, { onEvent: ({ i }) => void seen.push(i) })
    expect(seen).toEqual([1, 2, 3])
    expect(total).toEqual({ total: 3 })
  })

  it('resumes across maxDurationMs drops with no gap and no duplicate', async () => {
    let headerCalls = 0
    const headers = () => ({ 'x-attempt': String(++headerCalls) })
    const { client, sent, waits } = connect('short', { headers })
    const call = client.getCount({ to: 20, delayMs: 20 })
    const seen: number[] = []
    for await (const { i } of call) seen.push(i)
    expect(seen).toEqual(Array.from({ length: 20 }, (_, k) => k + 1))
    expect(await call.result).toEqual({ total: 20 })
    expect(sent.length).toBeGreaterThan(1)
    // Each reconnect resumes after the last id seen, waits the server's retry (2000) with jitter,
    // and computes the headers afresh.
    // (A connection cut before its first event would resume from nothing: no id, counted as 0.)
    const resumedFrom = sent.slice(1).map((headers) => Number(headers.get('last-event-id') ?? 0))
    expect(resumedFrom).toEqual([...resumedFrom].sort((a, b) => a - b))
    expect(resumedFrom.every((id) => id >= 0 && id < 20)).toBe(true)
    expect(resumedFrom.at(-1)).toBeGreaterThan(0)
    expect(sent[0]?.has('last-event-id')).toBe(false)
    expect(waits).toHaveLength(sent.length - 1)
    for (const ms of waits) expect(ms >= 1000 && ms <= 3000).toBe(true)
    expect(sent.map((headers) => headers.get('x-attempt'))).toEqual(sent.map((_, k) => String(k + 1)))
  })

  it('resumes with an id of every allowed character, sent back intact as Last-Event-ID', async () => {
    // Every visible ASCII character, and spaces between them (withEvent's id rule).
    const id = `a b  ${String.fromCharCode(...Array.from({ length: 94 }, (_, k) => 0x21 + k))}`
    const { client, sent } = connect('short')
    const call = client.resume({ id })
    const seen: string[] = []
    for await (const { sent: value } of call) seen.push(value)
    // The first connection ends at maxDurationMs after its one event; the reconnect gets done.
    expect(seen).toEqual([id])
    expect(await call.result).toEqual({ lastEventId: id })
    expect(call.lastEventId).toBe(id)
    expect(sent.map((headers) => headers.get('last-event-id'))).toEqual([null, id])
  })

  it('notices a connection gone silent behind a proxy, and resumes with no event missing or repeated', async () => {
    const proxy = await startStallProxy(servers.beat?.url ?? 'http://127.0.0.1:1')
    try {
      const { client, sent } = connect('beat', { baseUrl: proxy.url })
      const seen: number[] = []
      const states: ConnectionState[] = []
      let resumeFrom: number | undefined
      const call = client.getCount(
        { to: 20, delayMs: 20 },
        {
          onStateChange: (state) => {
            states.push(state)
            if (state.status === 'reconnecting') resumeFrom = seen.at(-1)
          },
        },
      )
      for await (const { i } of call) {
        seen.push(i)
        if (i === 3) proxy.stall()
      }
      expect(seen).toEqual(Array.from({ length: 20 }, (_, k) => k + 1))
      expect(await call.result).toEqual({ total: 20 })
      expect(states.map(({ status }) => status)).toEqual([
        'connecting',
        'open',
        'reconnecting',
        'connecting',
        'open',
        'closed',
      ])
      // The period came from the server's Sluice-Heartbeat-Ms: 2 x 100 + 2000.
      expect(states[2]).toMatchObject({
        error: { message: 'No byte for 2200 ms: the connection is presumed dead' },
      })
      expect(sent.map((headers) => headers.get('last-event-id'))).toEqual([null, String(resumeFrom)])
    } finally {
      await proxy.close()
    }
  })

  it('refreshes a token on a 401 and retries once, through onResponse', async () => {
    let token = 'stale'
    const { client, sent } = connect('main', {
      headers: () => ({ authorization: `Bearer ${token}` }),
      onResponse: async ({ response, retry }) => {
        if (response.status !== 401) return undefined
        token = 'ok'
        return retry()
      },
    })
    expect(await client.private()).toMatchObject({ ok: true })
    expect(sent.map((headers) => headers.get('authorization'))).toEqual(['Bearer stale', 'Bearer ok'])
  })

  it('cancels with break: the server generator runs its finally', async () => {
    const tag = tagOf('break')
    const { client, sent } = connect()
    const call = client.getForever({ tag })
    for await (const { n } of call) if (n === 3) break
    await expect(call.result).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(await isFinalized(tag)).toBe(true)
    expect(sent).toHaveLength(1)
  })

  it('cancels with an AbortSignal: the loop throws CANCELLED and the server generator runs its finally', async () => {
    const tag = tagOf('signal')
    const controller = new AbortController()
    const call = connect().client.getForever({ tag }, { signal: controller.signal })
    const error = await (async () => {
      for await (const { n } of call) if (n === 2) controller.abort()
    })().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CANCELLED' })
    expect(await isFinalized(tag)).toBe(true)
  })

  it('calls /status as JSON, and as a stream through .stream', async () => {
    const { client } = connect()
    expect(await client.status()).toEqual({ state: 'initial' })
    const call = client.status.stream()
    const states: string[] = []
    for await (const { state } of call) states.push(state)
    expect(states).toEqual(['initial', 'pending', 'done'])
    expect(await call.result).toBeNull()
  })

  it.each([
    ['wire', 'FAILED', 'The job failed on purpose'],
    ['crash', 'INTERNAL', 'Internal server error'],
  ] as const)('surfaces a %s failure as %s, without reconnecting', async (kind, code, message) => {
    const { client, sent } = connect()
    const seen: number[] = []
    const call = client.fail({ after: 2, kind })
    const error = await (async () => {
      for await (const { i } of call) seen.push(i)
    })().catch((e: unknown) => e)
    expect(seen).toEqual([1, 2])
    expect(error).toMatchObject({ name: 'SluiceClientError', code, message })
    await expect(call.result).rejects.toBe(error)
    expect(sent).toHaveLength(1)
  })

  it('sends headers from a function on every call', async () => {
    let calls = 0
    const headers = () => Promise.resolve({ authorization: `Bearer ${++calls === 1 ? 'ok' : 'stale'}` })
    const { client } = connect('main', { headers })
    expect(await client.private()).toMatchObject({ ok: true })
    await expect(client.private()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    expect(calls).toBe(2)
  })

  it('never reconnects after a 4xx', async () => {
    const { client, sent, waits } = connect()
    await expect(client.getCount({ to: -1 }).result).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
    })
    expect(sent).toHaveLength(1)
    expect(waits).toEqual([])
  })
})
