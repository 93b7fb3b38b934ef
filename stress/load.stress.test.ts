import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { mb, ms, printTable, startClient, startServer, type Stats } from './harness'

const STREAMS = 10_000
const BATCH = 500
const MAX_STALL_MS = 50
const rows: [string, string, string][] = []

afterAll(() => printTable(`Load (${STREAMS} idle streams in one server process, heartbeatMs 1000)`, rows))

interface Delay {
  maxMs: number
  p99Ms: number
  meanMs: number
  gcMaxMs: number
  gcTotalMs: number
}
interface Waited {
  ms: number
  behind: number
  held: number
}
interface Measured {
  opened: { ms: number; open: number }
  before: Stats
  holding: Stats
  pinged: Waited
  idle: Delay
  burst: { burstMs: number }
  delivered: Waited
  stall: Delay
  after: Stats
}

/** Holds STREAMS streams, waits for heartbeats, broadcasts once, lets the clients go. */
async function measure(runtime: 'node' | 'uws'): Promise<Measured> {
  const server = await startServer(runtime)
  const client = await startClient()
  try {
    const before = await server.call<Stats>('stats')
    const opened = await client.call<{ ms: number; open: number }>('open', {
      port: server.port,
      path: '/subscribe',
      count: STREAMS,
      batch: BATCH,
    })
    const holding = await server.call<Stats>('stats')
    await server.call('untrack')
    // Idle: every stream gets its heartbeats from the shared timer.
    await server.call('measure', { resolutionMs: 1 })
    const pinged = await client.call<Waited>('wait', { pings: 2, events: 0, timeoutMs: 10_000 })
    const idle = await server.call<Delay>('delay')
    // Broadcast: measured from just before the publish until every client has the event,
    // plus a little after for the tail.
    await server.call('measure', { resolutionMs: 1 })
    await sleep(50)
    const burst = await server.call<{ burstMs: number }>('broadcast', { n: 1 })
    const delivered = await client.call<Waited>('wait', { pings: 0, events: 1, timeoutMs: 10_000 })
    await sleep(100)
    const stall = await server.call<Delay>('delay')
    await client.call('closeAll')
    let after = await server.call<Stats>('stats')
    for (let i = 0; i < 50 && after.streams > 0; i++) {
      await sleep(100)
      after = await server.call<Stats>('stats')
    }
    const perStream = (holding.heapUsed - before.heapUsed) / STREAMS / 1024
    rows.push(
      [`${runtime}: open ${STREAMS} streams (batches of ${BATCH})`, ms(opened.ms), '-'],
      [`${runtime}: server heap / rss holding`, `${mb(holding.heapUsed)} / ${mb(holding.rss)}`, '-'],
      [`${runtime}: heap per stream`, `${perStream.toFixed(2)} KiB`, '-'],
      [`${runtime}: timers while holding`, `${holding.timers}`, '<= 2'],
      [`${runtime}: every stream pinged twice`, ms(pinged.ms), '< 10 s'],
      [
        `${runtime}: loop delay idle (max / p99)`,
        `${ms(idle.maxMs)} / ${ms(idle.p99Ms)} (GC max ${ms(idle.gcMaxMs)})`,
        '-',
      ],
      [`${runtime}: broadcast microtask burst`, ms(burst.burstMs), '-'],
      [`${runtime}: broadcast delivered to all`, ms(delivered.ms), '< 10 s'],
      [
        `${runtime}: loop delay broadcast (max / p99)`,
        `${ms(stall.maxMs)} / ${ms(stall.p99Ms)} (GC max ${ms(stall.gcMaxMs)}, total ${ms(stall.gcTotalMs)})`,
        `< ${MAX_STALL_MS} ms`,
      ],
      [`${runtime}: streams after clients left`, `${after.streams}`, '0'],
    )
    return { opened, before, holding, pinged, idle, burst, delivered, stall, after }
  } finally {
    await client.stop()
    await server.stop()
  }
}

describe.each(['node', 'uws'] as const)('load on %s', (runtime) => {
  let m: Measured
  // One run per runtime; each check below reads its figures, so one failing check does not
  // hide the others.
  beforeAll(async () => {
    m = await measure(runtime)
  }, 90_000)

  it(`holds ${STREAMS} concurrent streams in one process`, () => {
    expect(m.opened.open).toBe(STREAMS)
    expect(m.holding.streams).toBe(STREAMS)
    expect(m.holding.subscribers).toBe(STREAMS)
  })

  it('heartbeats every stream from one shared timer', () => {
    // 10,000 streams, three timers at most, none of them per stream: sluice's shared ticker,
    // node's connection-checking interval, and node's Date-header cache (a 1 s timer after
    // any head it wrote, so there while heads went out within the last second).
    expect(m.holding.timers).toBeLessThanOrEqual(3)
    expect(m.pinged.behind).toBe(0)
  })

  it('delivers one publish to every stream', () => {
    expect(m.delivered.behind).toBe(0)
  })

  it(`does not stall the event loop over ${MAX_STALL_MS} ms while broadcasting`, () => {
    expect(m.stall.maxMs).toBeLessThan(MAX_STALL_MS)
  })

  it('releases every stream and subscription once the clients leave', () => {
    expect(m.after.streams).toBe(0)
    expect(m.after.subscribers).toBe(0)
  })
})
