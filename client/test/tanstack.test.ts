import { setTimeout as sleep } from 'node:timers/promises'
import { createFixtureApp } from '@sluice/conformance/fixture'
import { runtimes } from '@sluice/conformance/runtimes'
import type { Served } from '@sluice/core/adapter'
import {
  experimental_streamedQuery as streamedQuery,
  QueryClient,
  QueryObserver,
  type QueryObserverOptions,
  type QueryObserverResult,
} from '@tanstack/query-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCaller, SluiceClientError } from '../src'
import { liveCall, streamedCall, type StreamedData } from '../src/tanstack'

type State = { state: 'initial' | 'pending' | 'done' }
type CountData = StreamedData<{ i: number }, { total: number }>

/** Waits until `check` holds, for at most `ms`; the test then asserts what happened. */
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check() && Date.now() < deadline) await sleep(10)
}

/** What `useQuery` does without React: an observer, with every result it was handed. */
function observe<D>(queryClient: QueryClient, options: QueryObserverOptions<D, Error, D, D>) {
  const observer = new QueryObserver(queryClient, options)
  const seen: QueryObserverResult<D>[] = []
  const unsubscribe = observer.subscribe((result) => void seen.push(result))
  const last = () => seen.at(-1)
  return { seen, last, unsubscribe }
}

const tagOf = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`
const numbers = (data: CountData | undefined) => data?.events.map(({ i }) => i)

// TanStack Query (query-core, what every framework binding runs) over the fixture on each runtime.
describe.each(['node', 'express', 'fastify', 'uws'] as const)('TanStack Query on %s', (runtime) => {
  let served: Served | undefined
  // No retry (sluice reconnects streams itself), and no gc timer left behind by a test.
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } })
  beforeAll(async () => {
    served = await runtimes[runtime](createFixtureApp(), 0)
  })
  afterEach(() => queryClient.clear())
  afterAll(() => served?.close())

  function api() {
    const caller = createCaller({ baseUrl: served?.url ?? 'http://127.0.0.1:1' })
    return {
      count: caller.stream<{ to: number; delayMs?: number }, { i: number }, { total: number }>(
        'GET',
        '/count',
      ),
      fail: caller.stream<{ after: number }, { i: number }, unknown>('GET', '/fail'),
      forever: caller.stream<{ tag: string }, { n: number }, unknown>('GET', '/forever'),
      finalized: caller.json<{ tag: string }, { finalized: boolean }>('GET', '/finalized'),
      status: caller.progressive<undefined, State, State>('GET', '/status'),
      burst: caller.progressive<
        { tag: string; count: number },
        Record<string, number>,
        Record<string, number>
      >('GET', '/burst'),
    }
  }

  it('takes a stream call as a streamFn as it is: the data is the events', async () => {
    const { count } = api()
    const data = await queryClient.query({
      queryKey: ['count', 3],
      queryFn: streamedQuery({ streamFn: ({ signal }) => count({ to: 3 }, { signal }) }),
    })
    expect(data).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }])
  })

  it('streamedCall: shows the events while the stream runs, then done and its result', async () => {
    const { count } = api()
    const queryFn = streamedQuery(streamedCall(({ signal }) => count({ to: 5, delayMs: 30 }, { signal })))
    const { seen, last, unsubscribe } = observe(queryClient, { queryKey: ['count', 5], queryFn })
    await until(() => last()?.data?.done === true)
    unsubscribe()
    expect(last()?.data).toEqual({
      done: true,
      events: [1, 2, 3, 4, 5].map((i) => ({ i })),
      result: { total: 5 },
    })
    // Events were data before the stream ended, each snapshot a prefix of the next.
    const streaming = seen.filter((r) => r.status === 'success' && !r.data.done)
    expect(streaming.length).toBeGreaterThan(0)
    expect(streaming.every((r) => r.fetchStatus === 'fetching')).toBe(true)
    const lengths = seen.map((r) => numbers(r.data)?.length ?? 0)
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b))
    expect(
      await queryClient.query({
        queryKey: ['count', 2],
        queryFn: streamedQuery(streamedCall(() => count({ to: 2 }))),
      }),
    ).toEqual({
      done: true,
      events: [{ i: 1 }, { i: 2 }],
      result: { total: 2 },
    })
  })

  it('streamedCall with maxEvents: 1 keeps only the latest event', async () => {
    const { count } = api()
    const queryFn = streamedQuery(
      streamedCall(({ signal }) => count({ to: 4, delayMs: 10 }, { signal }), { maxEvents: 1 }),
    )
    const { seen, last, unsubscribe } = observe(queryClient, { queryKey: ['latest'], queryFn })
    await until(() => last()?.data?.done === true)
    unsubscribe()
    expect(last()?.data).toEqual({ done: true, events: [{ i: 4 }], result: { total: 4 } })
    expect(seen.every((r) => (r.data?.events.length ?? 0) <= 1)).toBe(true)
  })

  it('cancels the call when the last observer leaves: the server generator runs its finally', async () => {
    const { forever, finalized } = api()
    const tag = tagOf('tanstack')
    const queryFn = streamedQuery(streamedCall(({ signal }) => forever({ tag }, { signal })))
    const { last, unsubscribe } = observe(queryClient, { queryKey: ['forever', tag], queryFn })
    await until(() => (last()?.data?.events.length ?? 0) >= 3)
    expect(last()?.data?.events.length).toBeGreaterThanOrEqual(3)
    unsubscribe()
    let closed = false
    for (const deadline = Date.now() + 5000; !closed && Date.now() < deadline; await sleep(20))
      closed = (await finalized({ tag })).finalized
    expect(closed).toBe(true)
    expect(queryClient.getQueryState(['forever', tag])?.fetchStatus).toBe('idle')
  })

  it('fails the query with the stream error, keeping the events that came before it', async () => {
    const { fail } = api()
    const queryFn = streamedQuery(streamedCall(({ signal }) => fail({ after: 2 }, { signal })))
    const { last, unsubscribe } = observe(queryClient, { queryKey: ['fail'], queryFn })
    await until(() => last()?.status === 'error')
    unsubscribe()
    const result = last()
    expect(result?.error).toBeInstanceOf(SluiceClientError)
    expect(result?.error).toMatchObject({ code: 'FAILED', message: 'The job failed on purpose' })
    expect(result?.data).toEqual({ done: false, events: [{ i: 1 }, { i: 2 }] })
  })

  it('liveCall: a progressive route is a query whose data each update replaces', async () => {
    const { status } = api()
    const queryFn = streamedQuery(liveCall(({ signal }) => status.stream(undefined, { signal })))
    const { seen, last, unsubscribe } = observe(queryClient, { queryKey: ['status'], queryFn })
    await until(() => last()?.fetchStatus === 'idle' && last()?.status === 'success')
    unsubscribe()
    expect(last()?.data).toEqual({ state: 'done' })
    // The JSON value first, then the updates, in order (TanStack may batch some away).
    const states = seen.flatMap((r) => (r.data === undefined ? [] : [r.data.state]))
    expect(states[0]).toBe('initial')
    expect(states.filter((s, k) => s !== states[k - 1])).toEqual(expect.arrayContaining(['initial', 'done']))
    const order = ['initial', 'pending', 'done']
    expect(states.map((s) => order.indexOf(s))).toEqual(states.map((s) => order.indexOf(s)).sort())
  })

  it('liveCall: the value a channel closes with is the data last', async () => {
    const { burst } = api()
    const input = { tag: tagOf('burst'), count: 3 }
    const data = await queryClient.query({
      queryKey: ['burst'],
      queryFn: streamedQuery(liveCall(({ signal }) => burst.stream(input, { signal }))),
    })
    // `{ count: 3 }` (the JSON value), `{ i: 1 }` to `{ i: 3 }`, then `done` with `{ accepted: 3 }`.
    expect(data).toEqual({ accepted: 3 })
  })

  it("liveCall with refetchMode 'replace' keeps the data until the new run ends", async () => {
    const { status } = api()
    const queryFn = streamedQuery(
      liveCall(({ signal }) => status.stream(undefined, { signal }), { refetchMode: 'replace' }),
    )
    const { seen, last, unsubscribe } = observe(queryClient, { queryKey: ['status', 'replace'], queryFn })
    await until(() => last()?.fetchStatus === 'idle' && last()?.data?.state === 'done')
    const from = seen.length
    await queryClient.refetchQueries({ queryKey: ['status', 'replace'] })
    unsubscribe()
    const during = seen.slice(from)
    expect(during.some((r) => r.fetchStatus === 'fetching')).toBe(true)
    expect(during.map((r) => r.data?.state)).toEqual(during.map(() => 'done'))
  })
})

describe('streamedCall options', () => {
  const open = () => {
    throw new Error('not opened when the options are wrong')
  }
  it.each([0, -1, 1.5, Number.NaN])('refuses maxEvents %s when the query is defined', (maxEvents) => {
    expect(() => streamedCall(open, { maxEvents })).toThrow(
      new RangeError(`sluice: maxEvents must be a whole number >= 1, got ${String(maxEvents)}`),
    )
  })
})
