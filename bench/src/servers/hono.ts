import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { streamSSE, type SSEStreamingApi } from 'hono/streaming'
import type { Message } from '../hub'
import { floodCount, JSON_BODY, type StartServer } from './types'

/**
 * Hono 4 on node:http through `@hono/node-server`: `c.json` for JSON and its `streamSSE`
 * helper for every stream (`writeSSE` per event, awaited; `onAbort` for subscribers), as
 * Hono's streaming docs show.
 */
export const honoServer: StartServer = async (port) => {
  const subscribers = new Set<SSEStreamingApi>()
  // The callback's end closes the stream: a held stream waits for its client to leave.
  const untilAbort = (stream: SSEStreamingApi): Promise<void> =>
    new Promise((resolve) => stream.onAbort(resolve))
  const app = new Hono()
  app.get('/json', (c) => c.json(JSON_BODY))
  app.get('/one', (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ data: JSON.stringify({ i: 1 }) })
    }),
  )
  app.get('/flood', (c) =>
    streamSSE(c, async (stream) => {
      const n = floodCount(c.req.url)
      for (let i = 1; i <= n && !stream.aborted; i++) await stream.writeSSE({ data: JSON.stringify({ i }) })
    }),
  )
  app.get('/sub', (c) =>
    streamSSE(c, async (stream) => {
      subscribers.add(stream)
      await untilAbort(stream)
      subscribers.delete(stream)
    }),
  )
  app.get('/idle', (c) => streamSSE(c, untilAbort))
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s))
  })
  return {
    publish: (message: Message) => {
      const data = JSON.stringify(message)
      for (const stream of subscribers) void stream.writeSSE({ data })
    },
    subscribers: () => subscribers.size,
    close: () => {
      ;(server as import('node:http').Server).closeAllConnections()
      server.close()
    },
  }
}
