import { setTimeout as sleep } from 'node:timers/promises'
import {
  createApp,
  defineFunction,
  WireError,
  wireHTTP,
  withEvent,
  type App,
  type CorsOptions,
  type RequestInfo,
} from '@sluice/core'
import { z } from 'zod'
import { wireExtras } from './fixture-extras'
import { wireKinds } from './fixture-kinds'
import { count, eventId, tag } from './fixture-schemas'

/** Settings the fixture takes from its command line. */
export interface FixtureOptions {
  heartbeatMs?: number
  maxDurationMs?: number
  openWaitMs?: number
  slowConsumerMs?: number
  /** Extra headers on every stream; they may replace the protocol's (`cache-control`). */
  streamHeaders?: Record<string, string>
  cors?: CorsOptions
  /** `limits.maxStreams`, set low to see a leaked stream slot as a 429. */
  maxStreams?: number
  /** How long `authenticate` takes, so a client can leave before the headers go out. */
  authenticateMs?: number
}

// Values that would inject a field or collide with sluice's own event types are refused by
// the schema as a 400; core refuses them again in `withEvent` should a schema forget.
const field = z
  .string()
  .max(200)
  .regex(/^[^\r\n\0]*$/, 'must not contain CR, LF or NUL')

function session(request: RequestInfo): { user: string } | undefined {
  return request.headers['authorization'] === 'Bearer ok' ? { user: 'ok' } : undefined
}

// An `authenticate` that takes a while, as one asking a database does.
function slowly<T>(check: (request: RequestInfo) => T, ms: number) {
  return async (request: RequestInfo): Promise<T> => {
    await sleep(ms)
    return check(request)
  }
}

/**
 * The conformance fixture: every route of the fixture table in docs/architecture.md, on a fresh app. Each app keeps
 * its own record of finished generators, so suites on one process do not see each other.
 */
export function createFixtureApp(options: FixtureOptions = {}): App {
  const finalized = new Set<string>()
  // Tags of `/forever` and `/hang` generators that started: a pipelined request a runtime never
  // ran has nothing to finalize.
  const started = new Set<string>()
  const app = createApp({
    // The suite reads which generators finished from here, also after the server closed.
    services: { finalized },
    sse: {
      heartbeatMs: options.heartbeatMs,
      maxDurationMs: options.maxDurationMs,
      openWaitMs: options.openWaitMs,
      slowConsumerMs: options.slowConsumerMs,
      headers: options.streamHeaders,
    },
    authenticate: options.authenticateMs === undefined ? session : slowly(session, options.authenticateMs),
    limits: { maxStreams: options.maxStreams },
    // The suite provokes crashes on purpose; their stacks would only be noise in its output.
    onError: () => undefined,
    cors: options.cors,
  })

  wireHTTP(app, { method: 'get', route: '/health', func: defineFunction({ func: () => ({ ok: true }) }) })

  const echo = defineFunction({
    input: z.object({ message: z.string().min(1).max(1000) }),
    output: z.object({ message: z.string() }),
    func: ({ input }) => ({ message: input.message }),
  })
  wireHTTP(app, { method: 'post', route: '/echo', func: echo })

  const countTo = defineFunction({
    input: z.object({ to: count, delayMs: count.max(10_000).default(0) }),
    event: z.object({ i: z.number() }),
    output: z.object({ total: z.number() }),
    func: async function* ({ input, lastEventId, signal }) {
      const resumed = lastEventId === undefined ? 0 : Number.parseInt(lastEventId, 10)
      const start = Number.isSafeInteger(resumed) && resumed > 0 ? resumed + 1 : 1
      for (let i = start; i <= input.to; i++) {
        if (input.delayMs > 0) await sleep(input.delayMs, undefined, { signal })
        yield withEvent({ id: String(i) }, { i })
      }
      return { total: input.to }
    },
  })
  wireHTTP(app, { method: 'get', route: '/count', func: countTo })

  const State = z.object({ state: z.enum(['initial', 'pending', 'done']) })
  const status = defineFunction({
    output: State,
    event: State,
    func: ({ channel, signal }) => {
      if (channel !== undefined) {
        const pending = setTimeout(() => channel.send({ state: 'pending' }), 20)
        const done = setTimeout(() => {
          channel.send({ state: 'done' })
          channel.close()
        }, 40)
        // `signal` aborts when the stream ends for any reason: no timer outlives a client.
        signal.addEventListener('abort', () => {
          clearTimeout(pending)
          clearTimeout(done)
        })
      }
      return { state: 'initial' as const }
    },
  })
  wireHTTP(app, { method: 'get', route: '/status', func: status, sse: true })

  const fail = defineFunction({
    input: z.object({ after: count.default(0), kind: z.enum(['wire', 'crash']).default('wire') }),
    event: z.object({ i: z.number() }),
    func: async function* ({ input }) {
      for (let i = 1; i <= input.after; i++) yield { i }
      if (input.kind === 'wire') throw new WireError('FAILED', 'The job failed on purpose')
      throw new Error('secret detail at /srv/app/internal.ts:42')
    },
  })
  wireHTTP(app, { method: 'get', route: '/fail', func: fail })

  const forever = defineFunction({
    input: z.object({ tag }),
    event: z.object({ n: z.number() }),
    func: async function* ({ input, signal }) {
      started.add(input.tag)
      try {
        for (let n = 1; ; n++) {
          yield withEvent({ id: String(n) }, { n })
          await sleep(10, undefined, { signal })
        }
      } finally {
        finalized.add(input.tag)
      }
    },
  })
  wireHTTP(app, { method: 'get', route: '/forever', func: forever })

  const isFinalized = defineFunction({
    input: z.object({ tag }),
    func: ({ input }) => ({ finalized: finalized.has(input.tag), started: started.has(input.tag) }),
  })
  wireHTTP(app, { method: 'get', route: '/finalized', func: isFinalized })

  const big = defineFunction({
    // `tag` (optional, beyond the table) records the generator's `finally` for /finalized.
    input: z.object({ bytes: count.max(1_000_000), count, tag: tag.optional() }),
    func: async function* ({ input }) {
      try {
        const payload = 'x'.repeat(input.bytes)
        for (let i = 0; i < input.count; i++) yield payload
        return { count: input.count }
      } finally {
        if (input.tag !== undefined) finalized.add(input.tag)
      }
    },
  })
  wireHTTP(app, { method: 'get', route: '/big', func: big })

  const named = defineFunction({
    input: z.object({
      event: field.min(1).refine((name) => name !== 'done' && name !== 'error', 'is reserved by sluice'),
      id: eventId,
    }),
    func: async function* ({ input }) {
      yield withEvent({ event: input.event, id: input.id }, { event: input.event, id: input.id })
    },
  })
  wireHTTP(app, { method: 'get', route: '/named', func: named })

  const quiet = defineFunction({
    func: async function* ({ signal }): AsyncGenerator<never, void, undefined> {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    },
  })
  wireHTTP(app, { method: 'get', route: '/quiet', func: quiet })

  const memory = defineFunction({
    func: () => {
      const { rss, heapUsed } = process.memoryUsage()
      return { rss, heapUsed }
    },
  })
  wireHTTP(app, { method: 'get', route: '/memory', func: memory })

  // The function says it needs a session (so `session` is never undefined); wiring follows it.
  const secret = defineFunction({ auth: true, func: ({ session }) => ({ ok: true, session }) })
  wireHTTP(app, { method: 'get', route: '/private', func: secret })

  wireExtras(app, { finalized, started, forever, countTo })
  wireKinds(app)

  optionsOf.set(app, options)
  return app
}

const optionsOf = new WeakMap<App, FixtureOptions>()

/** The options a fixture app was made with: a runtime in another process is started with them. */
export function fixtureOptionsOf(app: App): FixtureOptions | undefined {
  return optionsOf.get(app)
}
