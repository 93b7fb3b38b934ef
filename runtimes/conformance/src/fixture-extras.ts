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
 * Routes beyond DESIGN.md's table that the suite needs: POST streams, headers, a burst past
 * the channel queue, a generator stuck on a promise, and params/query/body merging.
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
}
