import { defineFunction } from '@sluice/core'
import { z } from 'zod'

const Metrics = z.object({ at: z.string(), rssBytes: z.number(), heapUsedBytes: z.number() })

/** Where samples come from; `taken` counts them, so a test can see a feed stop. */
export interface MetricsSource {
  sample(): z.infer<typeof Metrics>
  readonly taken: number
}

/** The server process's own memory, as a stand-in for a real metrics system. */
export function createMetricsSource(): MetricsSource {
  let taken = 0
  return {
    sample: () => {
      taken++
      const { rss, heapUsed } = process.memoryUsage()
      return { at: new Date().toISOString(), rssBytes: rss, heapUsedBytes: heapUsed }
    },
    get taken() {
      return taken
    },
  }
}

/**
 * Live metrics, progressively: the current sample at once, then one every `intervalMs` to a
 * client that streams. The route's `maxDurationMs` ends each feed; `signal` clears its timer.
 */
export function createLiveMetrics(source: MetricsSource, intervalMs: number) {
  return defineFunction({
    output: Metrics,
    event: Metrics,
    func: ({ channel, signal }) => {
      if (channel !== undefined) {
        const timer = setInterval(() => channel.send(source.sample()), intervalMs)
        signal.addEventListener('abort', () => clearInterval(timer))
      }
      return source.sample()
    },
  })
}
