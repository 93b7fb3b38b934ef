import { afterAll, describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { mb, ms, printTable, startClient, startServer, type Child, type Stats } from './harness'

const CYCLES = 10_000
const CONCURRENCY = 64
// Measured noise is within ±0.5 MB; a leak of 500 bytes per cycle is 5 MB over 10k cycles.
const MAX_HEAP_GROWTH = 5 * 1024 * 1024
const HANDLE_SLACK = 2
const rows: [string, string, string][] = []

afterAll(() => printTable('Leaks (10k cycles each, server heap after forced GC)', rows))

function total(resources: Record<string, number>): number {
  return Object.values(resources).reduce((sum, n) => sum + n, 0)
}

/** Polls until the server's handles and streams are back to `baseline` (sockets close asynchronously). */
async function settle(server: Child, baseline: Stats): Promise<Stats> {
  let stats = await server.call<Stats>('stats')
  for (let i = 0; i < 50; i++) {
    if (
      stats.streams === 0 &&
      stats.timers <= baseline.timers &&
      total(stats.resources) <= total(baseline.resources) + HANDLE_SLACK
    )
      break
    await sleep(100)
    stats = await server.call<Stats>('stats')
  }
  return stats
}

describe.each(['node', 'uws'] as const)('leaks on %s', (runtime) => {
  const scenarios = [
    { name: 'connect/disconnect', path: '/health', marker: '"ok":true' },
    { name: 'aborted streams', path: '/blocked', marker: '"ready":true' },
  ]

  it.each(scenarios)(
    '$name: 10k cycles leave heap, handles and timers at baseline',
    async ({ name, path, marker }) => {
      const server = await startServer(runtime)
      const client = await startClient()
      try {
        const run = (count: number): Promise<{ ms: number }> =>
          client.call('cycles', { port: server.port, path, marker, count, concurrency: CONCURRENCY })
        // Warm-up: lazily built caches, JIT code and pools reach their steady size first.
        await run(1000)
        const baseline = await settle(server, await server.call<Stats>('stats'))
        const { ms: took } = await run(CYCLES)
        const after = await settle(server, baseline)
        const growth = after.heapUsed - baseline.heapUsed
        const label = `${runtime} ${name}`
        rows.push(
          [`${label}: time`, ms(took), '-'],
          [`${label}: heap baseline -> after`, `${mb(baseline.heapUsed)} -> ${mb(after.heapUsed)}`, '-'],
          [`${label}: heap growth`, mb(growth), `< ${mb(MAX_HEAP_GROWTH)}`],
          [
            `${label}: active resources`,
            `${total(baseline.resources)} -> ${total(after.resources)} ${JSON.stringify(after.resources)}`,
            `baseline +${HANDLE_SLACK}`,
          ],
          [`${label}: live timers`, `${baseline.timers} -> ${after.timers}`, 'baseline'],
        )
        if (path === '/blocked')
          rows.push([`${label}: generators finished`, `${after.finalized - baseline.finalized}`, `${CYCLES}`])

        expect(after.streams).toBe(0)
        expect(after.subscribers).toBe(0)
        expect(growth).toBeLessThan(MAX_HEAP_GROWTH)
        expect(total(after.resources)).toBeLessThanOrEqual(total(baseline.resources) + HANDLE_SLACK)
        expect(after.timers).toBeLessThanOrEqual(baseline.timers)
        // Every blocked generator ran its `finally`: released through `signal`.
        if (path === '/blocked') expect(after.finalized - baseline.finalized).toBe(CYCLES)
      } finally {
        await client.stop()
        await server.stop()
      }
    },
    90_000,
  )
})
