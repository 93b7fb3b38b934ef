import { createApp, defineFunction, wireHTTP, type App } from '@sluice/core'
import { Hub, type Message } from '../hub'
import { JSON_BODY } from './types'

/** The sluice app every sluice target serves: the same functions on each runtime. */
export function createBenchApp(): { app: App; hub: Hub<Message> } {
  const hub = new Hub<Message>()
  const app = createApp({ onError: () => undefined })

  wireHTTP(app, { method: 'get', route: '/json', func: defineFunction({ func: () => JSON_BODY }) })

  const one = defineFunction({
    func: async function* () {
      yield { i: 1 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/one', func: one })

  const flood = defineFunction({
    func: async function* ({ input }: { input: Record<string, unknown> }) {
      const n = Number(input['n'] ?? 1000)
      for (let i = 1; i <= n; i++) yield { i }
    },
  })
  wireHTTP(app, { method: 'get', route: '/flood', func: flood })

  // A stream route's function is an `async function*` (docs/decisions.md): a plain function
  // returning the subscription is refused at its first call.
  const sub = defineFunction({
    func: async function* ({ signal }) {
      yield* hub.subscribe(signal)
    },
  })
  wireHTTP(app, { method: 'get', route: '/sub', func: sub })

  const idle = defineFunction({
    func: async function* ({ signal }): AsyncGenerator<never, void, undefined> {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    },
  })
  wireHTTP(app, { method: 'get', route: '/idle', func: idle })

  return { app, hub }
}
