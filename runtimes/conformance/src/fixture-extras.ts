import { createApp, defineFunction, wireHTTP, type AnyFunction } from '@sluice/core'
import { z } from 'zod'
import { count, tag } from './fixture-schemas'

type App = ReturnType<typeof createApp>

/** What the table's routes share with the extras. */
export interface Shared {
  /** Tags of streams whose generator ran its `finally` (or whose signal aborted). */
  finalized: Set<string>
  forever: AnyFunction
  countTo: AnyFunction
}

/**
 * Routes beyond the fixture table (docs/architecture.md) that the suite needs: POST streams,
 * headers, a burst past the channel queue, a generator stuck on a promise, params/query/body
 * merging, and a gated stream that proves events are not buffered on the way.
 */
export function wireExtras(app: App, { finalized, forever, countTo }: Shared): void {
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

  wireGate(app)
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
