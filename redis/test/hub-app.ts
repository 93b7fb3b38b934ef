import { createApp, defineFunction, wireHTTP, type App, type EventHub } from '@sluice/core'
import { z } from 'zod'

/** The topics of the test app: each carries a number and the pid of the process that published it. */
export type FeedTopics = Record<string, { n: number; pid: number }>

/**
 * The app the multi-process test serves from two processes on one Redis: `GET /feed` streams a
 * topic (resuming after `Last-Event-ID`), `POST /publish` publishes to one. A short `retry`
 * keeps the client's reconnect quick.
 */
export function createHubApp(hub: EventHub<FeedTopics>): App {
  const app = createApp({ sse: { retryMs: 200, heartbeatMs: 1000 } })
  const feed = defineFunction({
    input: z.object({ topic: z.string().min(1) }),
    event: z.object({ n: z.number(), pid: z.number() }),
    func: async function* ({ input, signal, lastEventId }) {
      yield* hub.subscribe(input.topic, { signal, lastEventId })
    },
  })
  const publish = defineFunction({
    input: z.object({ topic: z.string().min(1), n: z.number() }),
    output: z.object({ id: z.string(), pid: z.number() }),
    func: async ({ input }) => ({
      id: await hub.publish(input.topic, { n: input.n, pid: process.pid }),
      pid: process.pid,
    }),
  })
  wireHTTP(app, { method: 'get', route: '/feed', func: feed })
  wireHTTP(app, { method: 'post', route: '/publish', func: publish })
  return app
}
