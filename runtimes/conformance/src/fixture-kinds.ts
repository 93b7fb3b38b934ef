import { setTimeout as sleep } from 'node:timers/promises'
import { defineFunction, wireHTTP, withEvent, type App } from '@sluice/core'
import { z } from 'zod'
import { count } from './fixture-schemas'

const Progress = z.object({ done: z.number(), total: z.number() })
const LogLine = z.object({ line: z.string() })

/**
 * Routes whose functions declare several event kinds (`events`): a stream of `progress` (with
 * ids, resumable), `log` and `message` events, one that breaks its contract on purpose (a kind it
 * does not declare, or data that does not match its kind), and a progressive route sending a kind.
 */
export function wireKinds(app: App): void {
  const kinds = defineFunction({
    input: z.object({
      to: count.max(1000).default(2),
      delayMs: count.max(10_000).default(0),
      mode: z.enum(['ok', 'undeclared', 'invalid']).default('ok'),
    }),
    events: { progress: Progress, log: LogLine, message: z.object({ note: z.string() }) },
    output: z.object({ steps: z.number() }),
    func: async function* ({ input, lastEventId, signal }) {
      const resumed = Number.parseInt(lastEventId ?? '0', 10)
      for (let i = (Number.isSafeInteger(resumed) ? resumed : 0) + 1; i <= input.to; i++) {
        if (input.delayMs > 0) await sleep(input.delayMs, undefined, { signal })
        yield withEvent({ event: 'log' }, { line: `step ${i}` })
        yield withEvent({ event: 'progress', id: String(i) }, { done: i, total: input.to })
      }
      // What plain JavaScript (or a cast) can still do: the server refuses it as INVALID_OUTPUT.
      if (input.mode === 'undeclared') yield withEvent({ event: 'audit' as string as 'log' }, { line: 'x' })
      if (input.mode === 'invalid') yield withEvent({ event: 'log' }, { line: 42 as unknown as string })
      yield { note: 'a message: the kind of a value yielded without a name' }
      return { steps: input.to }
    },
  })
  wireHTTP(app, { method: 'get', route: '/kinds', func: kinds })

  const State = z.object({ state: z.enum(['initial', 'done']) })
  const progressiveKinds = defineFunction({
    events: { log: LogLine },
    output: State,
    func: ({ channel, signal }) => {
      if (channel !== undefined) {
        const later = setTimeout(() => {
          channel.send(withEvent({ event: 'log' }, { line: 'working' }))
          channel.close({ state: 'done' })
        }, 20)
        signal.addEventListener('abort', () => clearTimeout(later))
      }
      return { state: 'initial' as const }
    },
  })
  wireHTTP(app, { method: 'get', route: '/kinds-progressive', func: progressiveKinds, sse: true })
}
