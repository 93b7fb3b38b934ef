import { createApp, defineFunction, WireError, wireHTTP, withEvent, type AnyFunction } from '@sluice/core'
import { z } from 'zod'
import { count, eventId, tag } from './fixture-schemas'

type App = ReturnType<typeof createApp>

/** What the table's routes share with the extras. */
export interface Shared {
  /** Tags of streams whose generator ran its `finally` (or whose signal aborted). */
  finalized: Set<string>
  /** Tags of `/forever` and `/hang` generators that started. */
  started: Set<string>
  forever: AnyFunction
  countTo: AnyFunction
}

/**
 * Routes beyond the fixture table (docs/architecture.md) that the suite needs: POST streams,
 * headers, a burst past the channel queue, a generator stuck on a promise, a progressive
 * function that fails after it started sending, params/query/body merging, an id that must
 * come back as `Last-Event-ID`, and a gated stream that proves events are not buffered on the way.
 */
export function wireExtras(app: App, { finalized, started, forever, countTo }: Shared): void {
  // The same streaming functions on POST: the body is read first, then the stream opens.
  wireHTTP(app, { method: 'post', route: '/count', func: countTo })
  wireHTTP(app, { method: 'post', route: '/forever', func: forever })

  // A progressive route that sends `count` events in one burst, so more than
  // `maxQueuedEvents` at once trips the slow-consumer policy even for a fast reader.
  const burst = defineFunction({
    input: z.object({ tag, count }),
    func: ({ input, channel, signal }) => {
      if (channel !== undefined) {
        signal.addEventListener('abort', () => finalized.add(input.tag))
        let accepted = 0
        for (let i = 1; i <= input.count; i++) if (channel.send({ i })) accepted++
        channel.close({ accepted })
      }
      return { count: input.count }
    },
  })
  wireHTTP(app, { method: 'get', route: '/burst', func: burst, sse: true })

  // One event, then an await that only the signal can end: a generator blocked there cannot
  // reach its `finally` through `return()`, so cleanup has to come from `signal`.
  const hang = defineFunction({
    input: z.object({ tag }),
    func: async function* ({ input, signal }) {
      started.add(input.tag)
      try {
        yield { ready: true }
        await new Promise<never>((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
        })
      } finally {
        finalized.add(input.tag)
      }
    },
  })
  wireHTTP(app, { method: 'get', route: '/hang', func: hang })

  // A progressive function that starts sending on its channel, then fails (`kind=throw`) or
  // answers a value its schema refuses (`kind=invalid`): the answer is an error, and the
  // interval must stop at once through `signal`, which records the tag. `kind=ok` succeeds.
  const failing = defineFunction({
    input: z.object({ tag, kind: z.enum(['throw', 'invalid', 'ok']).default('throw') }),
    event: z.object({ tick: z.boolean() }),
    output: z.object({ state: z.string() }),
    func: ({ input, channel, signal }) => {
      if (channel !== undefined) {
        const timer = setInterval(() => channel.send({ tick: true }), 10)
        signal.addEventListener('abort', () => {
          clearInterval(timer)
          finalized.add(input.tag)
        })
      }
      if (input.kind === 'throw') throw new WireError('CONFLICT', 'The job cannot start now')
      if (input.kind === 'ok') return { state: 'started' }
      return { state: 42 } as unknown as { state: string }
    },
  })
  wireHTTP(app, { method: 'get', route: '/progressive-fail', func: failing, sse: true })

  const cookies = defineFunction({
    func: ({ setHeader }) => {
      setHeader('set-cookie', ['first=1; Path=/; HttpOnly', 'second=2; Path=/; SameSite=Lax'])
      return { ok: true }
    },
  })
  wireHTTP(app, { method: 'get', route: '/cookies', func: cookies })

  // A route with a path param, to show params, query and body merging.
  const merge = defineFunction({ func: ({ input }) => ({ input }) })
  wireHTTP(app, { method: 'post', route: '/merge/:id', func: merge })

  // `/resume?id=I`: a first connection gets one event with id I and stays open (until the
  // client leaves or `maxDurationMs`); a reconnect gets `done` with the `Last-Event-ID` it sent.
  const resume = defineFunction({
    input: z.object({ id: eventId }),
    event: z.object({ sent: z.string() }),
    output: z.object({ lastEventId: z.string() }),
    func: async function* ({ input, lastEventId, signal }) {
      if (lastEventId !== undefined) return { lastEventId }
      yield withEvent({ id: input.id }, { sent: input.id })
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      return { lastEventId: '' }
    },
  })
  wireHTTP(app, { method: 'get', route: '/resume', func: resume })

  wireJobs(app)
  wireGate(app)
}

// A function's contract beyond a value: a declared status (201 with Location), declared error
// codes with typed details, and a path param typed as a number (coerced from the path's string).
function wireJobs(app: App): void {
  const jobs = new Set<string>()
  const createJob = defineFunction({
    input: z.object({ jobId: z.string().min(1).max(100) }),
    output: z.object({ jobId: z.string() }),
    status: 201,
    errors: { JOB_EXISTS: { status: 409, details: z.object({ jobId: z.string() }) } },
    func: ({ input, error, setHeader }) => {
      if (jobs.has(input.jobId)) throw error('JOB_EXISTS', 'That job exists', { jobId: input.jobId })
      jobs.add(input.jobId)
      setHeader('location', `/jobs/${encodeURIComponent(input.jobId)}`)
      return { jobId: input.jobId }
    },
  })
  wireHTTP(app, { method: 'post', route: '/jobs', func: createJob })

  const double = defineFunction({
    input: z.object({ n: z.number().int() }),
    output: z.object({ doubled: z.number() }),
    func: ({ input }) => ({ doubled: input.n * 2 }),
  })
  wireHTTP(app, { method: 'get', route: '/double/:n', func: double })
}

// `/gated?tag=T` yields `{ step: 1 }`, then waits until `/release?tag=T` opens its gate. A client
// that sees step 1 before it releases proves nothing on the way (compression, a proxy) held
// the event back, without measuring any time: a buffered event 1 never arrives.
function wireGate(app: App): void {
  const gates = new Map<string, () => void>()
  const gated = defineFunction({
    input: z.object({ tag }),
    event: z.object({ step: z.number() }),
    output: z.object({ steps: z.number() }),
    func: async function* ({ input, signal }) {
      // Set before step 1 goes out, so a release that follows it always finds the gate.
      const opened = new Promise<void>((resolve, reject) => {
        gates.set(input.tag, resolve)
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
      })
      // A client that leaves at step 1 never reaches the await: its rejection is expected.
      opened.catch(() => undefined)
      try {
        yield { step: 1 }
        await opened
        yield { step: 2 }
        return { steps: 2 }
      } finally {
        gates.delete(input.tag)
      }
    },
  })
  wireHTTP(app, { method: 'get', route: '/gated', func: gated })

  const release = defineFunction({
    input: z.object({ tag }),
    func: ({ input }) => {
      const open = gates.get(input.tag)
      open?.()
      return { released: open !== undefined }
    },
  })
  wireHTTP(app, { method: 'get', route: '/release', func: release })
}
