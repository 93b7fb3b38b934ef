/**
 * The stress server: one sluice app on one runtime, in its own process (started with
 * `--expose-gc`), driven over IPC by the stress tests. Run: `node --expose-gc --import tsx
 * stress/server.ts node|uws`. `STRESS_FAULT` plants a known leak, to prove the checks fail.
 */
import { createHook } from 'node:async_hooks'
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { createApp, createMemoryHub, defineFunction, wireHTTP } from '@sluice/core'
import { fanOutQueue } from '@sluice/core/hub'
import { runtimes } from '@sluice/conformance/runtimes'
import { num, serveRpc } from './rpc'

const runtime = process.argv[2]
if (runtime !== 'node' && runtime !== 'uws') throw new Error('usage: server.ts node|uws')
const fault = process.env['STRESS_FAULT'] ?? ''
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('start the stress server with node --expose-gc')

// Planted fault: hand a broadcast to every subscriber in one turn, as before sluice sliced it.
if (fault === 'one-turn') fanOutQueue.perTurn = Infinity

// Every subscriber listens to this one topic, so one publish is a broadcast to every stream.
const TOPIC = 'all'
const hub = createMemoryHub()
const app = createApp({
  // Short, so a test sees every stream pinged within seconds; the work per ping is the same.
  sse: { heartbeatMs: 1000 },
  onError: () => undefined,
})
let finalized = 0

wireHTTP(app, {
  method: 'get',
  route: '/health',
  func: defineFunction({
    func: ({ signal }) => {
      // Planted fault: a listener per request on a long-lived emitter, holding the request's signal.
      if (fault === 'listener') {
        process.on('stress-never', () => signal.aborted)
      }
      // Planted fault: a timer per request that nobody clears.
      if (fault === 'timer') setInterval(() => undefined, 60_000)
      return { ok: true }
    },
  }),
})

wireHTTP(app, {
  method: 'get',
  route: '/blocked',
  func: defineFunction({
    // Blocked on a promise that never settles by itself: `return()` cannot reach a generator
    // suspended in `await`, only `signal` can, so the test proves sluice aborts it.
    func: async function* ({ signal }) {
      try {
        yield { ready: true }
        await new Promise((_resolve, reject) => {
          // Planted fault: ignore the signal, so the generator never finishes.
          if (fault !== 'ignore-signal')
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
        })
      } finally {
        finalized++
      }
    },
  }),
})

wireHTTP(app, {
  method: 'get',
  route: '/subscribe',
  func: defineFunction({
    func: async function* ({ signal }) {
      // Planted fault: a timer per stream (unref'd and cleared, so only the count shows it).
      if (fault === 'stream-timer') {
        const timer = setInterval(() => undefined, 1000)
        timer.unref()
        signal.addEventListener('abort', () => clearInterval(timer), { once: true })
      }
      yield* hub.subscribe(TOPIC, { signal })
    },
  }),
})

// `getActiveResourcesInfo()` leaves out unref'd timers (sluice's ticker is one), so live
// timers are counted from their creation and destruction instead. Tracking slows promises, so
// the load test turns it off (`untrack`) before it measures event-loop delay.
const liveTimers = new Set<number>()
const timerHook = createHook({
  init: (id, type) => {
    if (type === 'Timeout') liveTimers.add(id)
  },
  destroy: (id) => liveTimers.delete(id),
}).enable()

const running = await runtimes[runtime](app, 0)
let histogram: IntervalHistogram | undefined
// GC pauses while measuring, so a stall can be told apart from sluice's own work.
let gcPauses: number[] = []
new PerformanceObserver((list) => {
  if (histogram !== undefined) for (const entry of list.getEntries()) gcPauses.push(entry.duration)
}).observe({ entryTypes: ['gc'] })

/** Heap after a full GC (a few rounds, with turns between for finalizers and weak refs). */
async function settledHeap(): Promise<number> {
  for (let round = 0; round < 4; round++) {
    gc?.()
    await nextTurn()
  }
  return process.memoryUsage().heapUsed
}

function resources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

serveRpc({
  stats: async () => ({
    heapUsed: await settledHeap(),
    rss: process.memoryUsage().rss,
    resources: resources(),
    timers: liveTimers.size,
    streams: app.lifecycle.streams.size,
    subscribers: hub.stats().subscribers,
    finalized,
  }),
  untrack: () => {
    timerHook.disable()
    return null
  },
  // Starts measuring event-loop delay; `delay` reads and stops it.
  measure: (args) => {
    histogram?.disable()
    histogram = monitorEventLoopDelay({ resolution: num(args, 'resolutionMs') })
    histogram.enable()
    gcPauses = []
    return null
  },
  delay: () => {
    const h = histogram
    if (h === undefined) throw new Error('measure first')
    h.disable()
    histogram = undefined
    return {
      maxMs: h.max / 1e6,
      p99Ms: h.percentile(99) / 1e6,
      meanMs: h.mean / 1e6,
      gcMaxMs: Math.max(0, ...gcPauses),
      gcTotalMs: gcPauses.reduce((sum, pause) => sum + pause, 0),
    }
  },
  // One publish, delivered to every open stream by the hub. `burstMs` is how long the
  // microtasks the publish set off ran before the loop got a turn again (a setImmediate queued
  // first runs before the streams' own flushes), to tell where a stall comes from.
  broadcast: async (args) => {
    const started = performance.now()
    const turn = nextTurn().then(() => performance.now() - started)
    await hub.publish(TOPIC, { n: num(args, 'n') })
    return { burstMs: await turn }
  },
})

process.send?.({ ready: true, port: Number(new URL(running.url).port) })
