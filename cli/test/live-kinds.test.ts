import { createFixtureApp } from '@sluice/conformance/fixture'
import type { Served } from '@sluice/core/adapter'
import { runtimes } from '@sluice/conformance/runtimes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type ClientOptions, type KindsEvent } from './golden/fixture-client'

// A function with several kinds (`events`) through the generated client, against the fixture
// served on every runtime: the names and ids arrive, and the server refuses what it did not declare.
describe.each(Object.keys(runtimes) as (keyof typeof runtimes)[])('event kinds on %s', (runtime) => {
  const servers: { main?: Served; short?: Served } = {}
  beforeAll(async () => {
    servers.main = await runtimes[runtime](createFixtureApp(), 0)
    servers.short = await runtimes[runtime](createFixtureApp({ maxDurationMs: 150 }), 0)
  })
  afterAll(async () => {
    await Promise.all([servers.main?.close(), servers.short?.close()])
  })

  /** A client of one server; reconnect waits are recorded, not slept. */
  function connect(server: 'main' | 'short' = 'main', options: Partial<ClientOptions> = {}) {
    const sent: Headers[] = []
    const fetch: typeof globalThis.fetch = (input, init) => {
      sent.push(new Headers(init?.headers))
      return globalThis.fetch(input, init)
    }
    const wait = () => Promise.resolve()
    const baseUrl = servers[server]?.url ?? 'http://127.0.0.1:1'
    return { client: createClient({ baseUrl, fetch, retry: { wait }, ...options }), sent }
  }

  it('yields { event, data, id } per kind with for await, then resolves the done value', async () => {
    const call = connect().client.kinds({ to: 2 })
    const seen: KindsEvent[] = []
    for await (const e of call) seen.push(e)
    expect(seen).toEqual([
      { event: 'log', data: { line: 'step 1' }, id: undefined },
      { event: 'progress', data: { done: 1, total: 2 }, id: '1' },
      // An event without an id of its own carries the last one, as EventSource's lastEventId does.
      { event: 'log', data: { line: 'step 2' }, id: '1' },
      { event: 'progress', data: { done: 2, total: 2 }, id: '2' },
      { event: 'message', data: { note: 'a message: the kind of a value yielded without a name' }, id: '2' },
    ])
    expect(await call.result).toEqual({ steps: 2 })
  })

  it('hands each event to onEvent(data, event) and resolves the done value', async () => {
    const seen: unknown[] = []
    const result = await connect().client.kinds(
      { to: 1 },
      { onEvent: (data, event) => void seen.push([event, data]) },
    )
    expect(seen).toEqual([
      ['log', { line: 'step 1' }],
      ['progress', { done: 1, total: 1 }],
      ['message', { note: 'a message: the kind of a value yielded without a name' }],
    ])
    expect(result).toEqual({ steps: 1 })
  })

  it('rejects with INVALID_OUTPUT, naming the kind, when the server yields one it does not declare', async () => {
    const call = connect().client.kinds({ to: 1, mode: 'undeclared' })
    const names: string[] = []
    const error = await (async () => {
      for await (const e of call) names.push(e.event)
    })().catch((e: unknown) => e)
    expect(names).toEqual(['log', 'progress'])
    expect(error).toMatchObject({
      code: 'INVALID_OUTPUT',
      message: 'The server sent an event of kind "audit", which it does not declare',
    })
  })

  it("rejects with INVALID_OUTPUT when a kind's data does not match its schema", async () => {
    const call = connect().client.kinds({ to: 1, mode: 'invalid' })
    await expect(call.result).rejects.toMatchObject({ code: 'INVALID_OUTPUT' })
  })

  it('resumes across maxDurationMs drops with no progress event missing or repeated', async () => {
    const { client, sent } = connect('short')
    const call = client.kinds({ to: 8, delayMs: 30 })
    const progress: number[] = []
    for await (const e of call) if (e.event === 'progress') progress.push(e.data.done)
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(await call.result).toEqual({ steps: 8 })
    expect(sent.length).toBeGreaterThan(1)
  })

  it('a progressive route: JSON as a value; as a stream, its value as message, then the kinds', async () => {
    const { client } = connect()
    expect(await client.kindsProgressive()).toEqual({ state: 'initial' })
    const call = client.kindsProgressive.stream()
    const seen: unknown[] = []
    for await (const e of call) seen.push(e)
    expect(seen).toEqual([
      { event: 'message', data: { state: 'initial' }, id: undefined },
      { event: 'log', data: { line: 'working' }, id: undefined },
    ])
    expect(await call.result).toEqual({ state: 'done' })
  })
})
