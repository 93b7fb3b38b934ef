import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCaller, type ConnectionState } from '../src'
import {
  createFakeFetch,
  pushedSseResponse,
  recordedRetry,
  sseResponse,
  type PushedResponse,
} from './fake-fetch'

const OPEN = ': sluice stream open\nretry: 2000\n\n'
const event = (i: number) => `id: ${i}\ndata: {"i":${i}}\n\n`
const done = (value: unknown) => `event: done\ndata: ${JSON.stringify(value)}\n\n`
const HEARTBEAT = { 'sluice-heartbeat-ms': '1000' } // so a silence past 2 x 1000 + 2000 ms is dead

// Timers are faked and the clock is separate: a timer that fires says nothing about the time,
// exactly like a throttled one in a background tab. `elapse` moves both, as real silence does.
let now = 0
beforeEach(() => {
  now = 0
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  vi.spyOn(Date, 'now').mockImplementation(() => now)
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})
async function elapse(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(0) // what was pushed is read first, at the time it arrived
  now += ms
  await vi.advanceTimersByTimeAsync(ms)
}

/** A `count` stream whose connections the test writes to: `connections[k]` is the k-th connect's. */
function setup(
  options: { headers?: Record<string, string>; inactivityTimeoutMs?: number; replies?: number } = {},
) {
  const connections: PushedResponse[] = []
  const replies = Array.from({ length: options.replies ?? 2 }, () => (request: Request) => {
    const connection = pushedSseResponse(request.signal, options.headers ?? HEARTBEAT)
    connections.push(connection)
    return connection.response
  })
  const { fetch, sent } = createFakeFetch(replies)
  const { waits, retry } = recordedRetry()
  const caller = createCaller({
    baseUrl: 'http://127.0.0.1:1',
    fetch,
    retry,
    inactivityTimeoutMs: options.inactivityTimeoutMs,
  })
  const states: ConnectionState[] = []
  const count = caller.stream<{ to: number }, { i: number }, { total: number }>('GET', '/count')
  const call = count({ to: 3 }, { onStateChange: (state) => states.push(state) })
  const seen: number[] = []
  const finished = (async () => {
    for await (const { i } of call) seen.push(i)
  })()
  finished.catch(() => undefined)
  return { call, connections, sent, waits, states, seen, finished }
}

describe('a dead connection', () => {
  it('is aborted after 2 x the server heartbeat + 2 s without a byte, and resumed with Last-Event-ID', async () => {
    const { call, connections, sent, seen, finished, states } = setup()
    await elapse(0)
    connections[0]?.push(OPEN + event(1) + event(2))
    await elapse(3999)
    expect(sent).toHaveLength(1) // 3999 ms of silence: still alive
    await elapse(1)
    await vi.waitFor(() => expect(sent).toHaveLength(2))
    expect(sent[0]?.request.signal.aborted).toBe(true) // the silent connection was closed
    expect(sent[1]?.request.headers.get('last-event-id')).toBe('2')
    connections[1]?.push(OPEN + event(3) + done({ total: 3 }))
    await finished
    expect(seen).toEqual([1, 2, 3])
    expect(await call.result).toEqual({ total: 3 })
    expect(states.find((state) => state.status === 'reconnecting')).toMatchObject({
      attempt: 1,
      error: { code: 'NETWORK', message: 'No byte for 4000 ms: the connection is presumed dead' },
    })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('is judged by the clock since the last byte: a late timer does not condemn a live stream', async () => {
    const { call, connections, sent, finished } = setup()
    await elapse(0)
    connections[0]?.push(OPEN + event(1))
    // A background tab: a minute passes with a ping every second, and no timer runs meanwhile.
    for (let second = 1; second <= 60; second++) {
      now += 1000
      connections[0]?.push(': ping\n\n')
      await vi.advanceTimersByTimeAsync(0)
    }
    // Now the timer set a minute ago runs: the last byte came 0 ms ago.
    await vi.advanceTimersByTimeAsync(4000)
    expect(sent).toHaveLength(1)
    connections[0]?.push(event(2) + event(3) + done({ total: 3 }))
    await finished
    expect(await call.result).toEqual({ total: 3 })
    expect(sent).toHaveLength(1)
  })

  it('is not confused with a consumer that takes its time between events', async () => {
    const connections: PushedResponse[] = []
    const { fetch, sent } = createFakeFetch([
      (request) => {
        const connection = pushedSseResponse(request.signal, HEARTBEAT)
        connections.push(connection)
        return connection.response
      },
    ])
    const count = createCaller({ baseUrl: 'http://127.0.0.1:1', fetch }).stream('GET', '/count')
    let release: () => void = () => undefined
    const result = count({}, { onEvent: () => new Promise<void>((resolve) => (release = resolve)) })
    await elapse(0)
    connections[0]?.push(OPEN + event(1))
    await elapse(60_000) // the consumer works on event 1 for a minute, reading nothing
    release()
    await elapse(0)
    connections[0]?.push(done({ total: 1 }))
    await elapse(0)
    release()
    expect(await result).toEqual({ total: 1 })
    expect(sent).toHaveLength(1)
  })

  it('has no timeout without a server heartbeat, or with inactivityTimeoutMs: 0', async () => {
    for (const options of [{ headers: {} }, { inactivityTimeoutMs: 0 }]) {
      const { call, connections, sent } = setup(options)
      await elapse(0)
      connections[0]?.push(OPEN + event(1))
      await elapse(0)
      expect(vi.getTimerCount()).toBe(0)
      await elapse(600_000)
      expect(sent).toHaveLength(1)
      call.cancel()
    }
  })

  it('uses inactivityTimeoutMs when set, even without a server heartbeat', async () => {
    const { call, connections, sent } = setup({ headers: {}, inactivityTimeoutMs: 500 })
    await elapse(0)
    connections[0]?.push(OPEN + event(1))
    await elapse(500)
    await vi.waitFor(() => expect(sent).toHaveLength(2))
    call.cancel()
  })

  it('takes a timeout longer than a timer can wait (2^31 - 1 ms) as it is, without spinning', async () => {
    // Real timers: a longer delay fires at once, and a check that re-arms itself would spin.
    vi.useRealTimers()
    vi.mocked(Date.now).mockRestore()
    const armed = vi.spyOn(globalThis, 'setTimeout')
    const { call, connections, sent } = setup({ inactivityTimeoutMs: 2 ** 40 })
    await vi.waitFor(() => expect(connections).toHaveLength(1))
    connections[0]?.push(OPEN + event(1))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(sent).toHaveLength(1)
    // One silence check armed, not one a millisecond.
    expect(armed.mock.calls.filter(([, ms]) => typeof ms === 'number' && ms > 2 ** 30).length).toBe(1)
    call.cancel()
  })

  it('leaves no timer running once the call ends: done, error, break or cancel', async () => {
    const ends: ((connection: PushedResponse, call: ReturnType<typeof setup>['call']) => void)[] = [
      (connection) => connection.push(done({ total: 1 })),
      (connection) => connection.push('event: error\ndata: {"code":"FAILED","message":"no"}\n\n'),
      (_, call) => call.cancel(),
    ]
    for (const end of ends) {
      const { call, connections, finished } = setup()
      await elapse(0)
      connections[0]?.push(OPEN + event(1))
      await elapse(10)
      expect(vi.getTimerCount()).toBe(1) // the silence check of the open stream
      if (connections[0] !== undefined) end(connections[0], call)
      await finished.catch(() => undefined)
      expect(call.state.status).toBe('closed')
      expect(vi.getTimerCount()).toBe(0)
    }
  })

  it('refuses an inactivityTimeoutMs that is not whole milliseconds >= 0', () => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity]) {
      expect(() => createCaller({ baseUrl: 'http://x', inactivityTimeoutMs: bad })).toThrow(
        /inactivityTimeoutMs must be whole milliseconds >= 0/,
      )
    }
  })
})

describe('connection state', () => {
  it('goes connecting, open, reconnecting (attempt, delay, error), connecting, open, closed done', async () => {
    const { call, connections, states, finished } = setup({ headers: {} })
    expect(call.state).toEqual({ status: 'connecting', attempt: 1 })
    await elapse(0)
    connections[0]?.push(OPEN + event(1))
    connections[0]?.end()
    await elapse(0)
    connections[1]?.push(OPEN + event(2) + event(3) + done({ total: 3 }))
    await finished
    expect(states).toEqual([
      { status: 'connecting', attempt: 1 },
      { status: 'open' },
      {
        status: 'reconnecting',
        attempt: 1,
        delayMs: 2000,
        error: expect.objectContaining({
          code: 'NETWORK',
          message: 'The stream ended before its done event',
        }) as unknown,
      },
      { status: 'connecting', attempt: 1 },
      { status: 'open' },
      { status: 'closed', reason: 'done' },
    ])
    expect(call.state).toEqual({ status: 'closed', reason: 'done' })
  })

  it('counts attempts across failed connects, and closes with the error when it gives up', async () => {
    const { fetch } = createFakeFetch([new TypeError('refused'), new TypeError('refused')])
    const { retry } = recordedRetry()
    const states: ConnectionState[] = []
    const count = createCaller({ baseUrl: 'http://x', fetch, retry: { ...retry, maxAttempts: 2 } }).stream(
      'GET',
      '/count',
    )
    const call = count({}, { onStateChange: (state) => states.push(state) })
    await expect(call.result).rejects.toMatchObject({ code: 'NETWORK' })
    expect(
      states.map(({ status, ...rest }) => [status, 'attempt' in rest ? rest.attempt : undefined]),
    ).toEqual([
      ['connecting', 1],
      ['reconnecting', 2],
      ['connecting', 2],
      ['closed', undefined],
    ])
    expect(call.state).toMatchObject({ status: 'closed', reason: 'error', error: { code: 'NETWORK' } })
  })

  it('closes as cancelled on cancel(), and says nothing after closed', async () => {
    const { call, connections, states } = setup()
    await elapse(0)
    connections[0]?.push(OPEN + event(1))
    await elapse(0)
    call.cancel()
    await elapse(0)
    expect(states.at(-1)).toMatchObject({
      status: 'closed',
      reason: 'cancelled',
      error: { code: 'CANCELLED' },
    })
    expect(states.filter((state) => state.status === 'closed')).toHaveLength(1)
  })

  it('a listener that throws fails the call with its error, as a throwing onEvent does', async () => {
    const { fetch, sent } = createFakeFetch([sseResponse(OPEN + event(1) + done({ total: 1 }))])
    const count = createCaller({ baseUrl: 'http://x', fetch }).stream('GET', '/count')
    const bug = new Error('listener bug')
    const call = count(
      {},
      {
        onStateChange: (state) => {
          if (state.status === 'open') throw bug
        },
      },
    )
    await expect(call.result).rejects.toBe(bug)
    expect(call.state).toMatchObject({ status: 'closed', reason: 'error', error: bug })
    expect(sent[0]?.request.signal.aborted).toBe(true)
  })
})
