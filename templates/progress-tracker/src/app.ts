import { setTimeout as sleep } from 'node:timers/promises'
import { createApp, defineFunction, wireHTTP, withEvent, type App } from '@sluice/core'
import { z } from 'zod'

const Progress = z.object({ done: z.number(), total: z.number(), label: z.string() })
const Status = z.object({ running: z.number(), finished: z.number() })

/** The demo app: a job that streams its progress, and a status that answers then streams. */
export function createTrackerApp(options: { stepMs?: number } = {}): App {
  const stepMs = options.stepMs ?? 300
  const status = { running: 0, finished: 0 }
  const changes = new EventTarget()
  const changed = (): void => void changes.dispatchEvent(new Event('change'))

  const app = createApp({ sse: { heartbeatMs: 15_000 } })

  const runJob = defineFunction({
    input: z.object({
      jobId: z.string().min(1).max(64),
      steps: z.coerce.number().int().min(1).max(100).default(10),
    }),
    event: Progress,
    output: z.object({ jobId: z.string(), steps: z.number() }),
    func: async function* ({ input, signal, lastEventId }) {
      // Resuming after a dropped connection: pick up after the last step the client saw.
      const seen = Number.parseInt(lastEventId ?? '0', 10)
      const first = Number.isSafeInteger(seen) && seen >= 0 ? seen + 1 : 1
      status.running++
      changed()
      try {
        for (let step = first; step <= input.steps; step++) {
          await sleep(stepMs, undefined, { signal })
          const label = `Step ${step} of ${input.steps}`
          yield withEvent({ id: String(step) }, { done: step, total: input.steps, label })
        }
        status.finished++
        return { jobId: input.jobId, steps: input.steps }
      } finally {
        status.running--
        changed()
      }
    },
  })
  wireHTTP(app, { method: 'get', route: '/jobs/:jobId/progress', func: runJob })

  const getStatus = defineFunction({
    output: Status,
    event: Status,
    func: ({ channel, signal }) => {
      if (channel !== undefined) {
        const push = (): void => void channel.send({ ...status })
        changes.addEventListener('change', push)
        signal.addEventListener('abort', () => changes.removeEventListener('change', push))
      }
      return { ...status }
    },
  })
  wireHTTP(app, { method: 'get', route: '/status', func: getStatus, sse: true })

  return app
}
