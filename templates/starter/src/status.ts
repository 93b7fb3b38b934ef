import { defineFunction } from '@sluice/core'
import { z } from 'zod'

const State = z.object({ state: z.enum(['initial', 'pending', 'done']) })

/**
 * The progressive pattern: every client gets `{ state: 'initial' }` at once; a client that
 * asked for `text/event-stream` also gets a `channel`, and with it `pending`, then `done`.
 */
export function createStatus(delayMs: number) {
  return defineFunction({
    output: State,
    event: State,
    func: ({ channel, signal }) => {
      if (channel !== undefined) {
        const pending = setTimeout(() => channel.send({ state: 'pending' }), delayMs)
        const done = setTimeout(() => {
          channel.send({ state: 'done' })
          channel.close()
        }, 2 * delayMs)
        // `signal` aborts however the stream ends (client gone, closed, max duration).
        signal.addEventListener('abort', () => {
          clearTimeout(pending)
          clearTimeout(done)
        })
      }
      return { state: 'initial' as const }
    },
  })
}
