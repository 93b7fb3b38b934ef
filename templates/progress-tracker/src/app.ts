import { setTimeout as sleep } from 'node:timers/promises'
import { createApp, defineFunction, wireHTTP, withEvent, WireError, type App } from '@sluice/core'
import { z } from 'zod'

/** Options of `createTrackerApp`; the tests and the screenshot script shorten the delays. */
export interface TrackerOptions {
  /** How long each job step takes. Default 400 ms. */
  stepMs?: number
  /** The `retry:` sent when a stream opens: how long a client waits before it reconnects. Default 1000 ms. */
  retryMs?: number
  /** Ends each job stream after this long, without `done`: the client reconnects and resumes. */
  jobMaxDurationMs?: number
}

const JobInput = z.object({
  jobId: z.string().regex(/^[\w-]{1,64}$/),
  steps: z.coerce.number().int().min(1).max(100).default(10).describe('How many steps the job takes.'),
  failAt: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('Fail after this step, with a JOB_FAILED error event.'),
})
const Progress = z.object({ done: z.number().int(), total: z.number().int(), label: z.string() })
const LogLine = z.object({ text: z.string() })
const JobResult = z.object({ jobId: z.string(), steps: z.number().int(), finishedAt: z.string() })
const Status = z.object({
  running: z.number().int(),
  finished: z.number().int(),
  failed: z.number().int(),
  lastChange: z.string(),
})

const tasks = [
  'Fetching sources',
  'Resolving dependencies',
  'Compiling',
  'Running tests',
  'Bundling',
  'Compressing assets',
  'Uploading',
  'Verifying checksums',
  'Publishing',
  'Cleaning up',
]

/** The demo app: a job that streams its progress and resumes, and a status that answers then streams. */
export function createTrackerApp(options: TrackerOptions = {}): App {
  const stepMs = options.stepMs ?? 400
  const status: z.infer<typeof Status> = { running: 0, finished: 0, failed: 0, lastChange: 'server started' }
  const changes = new EventTarget()
  const change = (lastChange: string): void => {
    status.lastChange = lastChange
    changes.dispatchEvent(new Event('change'))
  }

  const app = createApp({ sse: { heartbeatMs: 15_000, retryMs: options.retryMs ?? 1000 } })

  const runJob = defineFunction({
    input: JobInput,
    // Two kinds of event: the client gets `{ event: 'progress' | 'log', data, id }`, typed by name.
    events: { progress: Progress, log: LogLine },
    output: JobResult,
    description:
      'Runs a job, streaming a log line and a progress event per step; resumes after the Last-Event-ID it is sent.',
    func: async function* ({ input, signal, lastEventId }) {
      const { jobId, steps, failAt } = input
      // Resuming after a dropped connection: pick up after the last step the client saw.
      const seen = Number.parseInt(lastEventId ?? '0', 10)
      const first = Number.isSafeInteger(seen) && seen >= 0 ? seen + 1 : 1
      let outcome = `job ${jobId} stopped: its connection closed`
      status.running++
      change(first === 1 ? `job ${jobId} started` : `job ${jobId} resumed after step ${first - 1}`)
      try {
        for (let step = first; step <= steps; step++) {
          await sleep(stepMs, undefined, { signal })
          const label = tasks[(step - 1) % tasks.length] ?? 'Working'
          if (failAt !== undefined && step > failAt) {
            status.failed++
            outcome = `job ${jobId} failed at step ${step}`
            // A WireError keeps its code and message on the wire; any other throw would be INTERNAL.
            throw new WireError('JOB_FAILED', `${label} failed at step ${step} of ${steps}`)
          }
          yield withEvent({ event: 'log' }, { text: `${label}: finished in ${stepMs} ms` })
          yield withEvent({ event: 'progress', id: String(step) }, { done: step, total: steps, label })
        }
        status.finished++
        outcome = `job ${jobId} finished`
        return { jobId, steps, finishedAt: new Date().toISOString() }
      } finally {
        status.running--
        change(outcome)
      }
    },
  })
  wireHTTP(app, {
    method: 'get',
    route: '/jobs/:jobId/progress',
    name: 'runJob',
    func: runJob,
    // Only when set: a key present as `undefined` would replace the app's stream setting.
    ...(options.jobMaxDurationMs !== undefined && { stream: { maxDurationMs: options.jobMaxDurationMs } }),
  })

  const getStatus = defineFunction({
    output: Status,
    event: Status,
    description:
      'Job counts: JSON at once, or with Accept: text/event-stream that value and then every change.',
    func: ({ channel, signal }) => {
      if (channel !== undefined) {
        const push = (): void => void channel.send({ ...status })
        changes.addEventListener('change', push)
        signal.addEventListener('abort', () => changes.removeEventListener('change', push), { once: true })
      }
      return { ...status }
    },
  })
  wireHTTP(app, { method: 'get', route: '/status', func: getStatus, sse: true })

  return app
}

/** The app with default options: the module `sluice client` reads to generate `client.gen.ts`. */
export const app = createTrackerApp()
