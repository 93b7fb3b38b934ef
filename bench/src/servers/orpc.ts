import { createServer } from 'node:http'
import { EventPublisher, os } from '@orpc/server'
import { RPCHandler } from '@orpc/server/node'
import type { Message } from '../hub'
import { floodCount, JSON_BODY, type StartServer } from './types'

/**
 * oRPC 1.x on node:http through its node adapter (`RPCHandler`), streaming with event
 * iterators (async generators) and fanning out through its `EventPublisher`, as its docs show.
 */
export const orpcServer: StartServer = async (port) => {
  const publisher = new EventPublisher<{ message: Message }>()
  let subscribers = 0
  const router = {
    json: os.route({ method: 'GET' }).handler(() => JSON_BODY),
    one: os.route({ method: 'GET' }).handler(async function* () {
      yield { i: 1 }
    }),
    flood: os.route({ method: 'GET' }).handler(async function* ({ context }) {
      const n = (context as { n: number }).n
      for (let i = 1; i <= n; i++) yield { i }
    }),
    sub: os.route({ method: 'GET' }).handler(async function* ({ signal }) {
      subscribers++
      try {
        for await (const message of publisher.subscribe('message', { signal })) yield message
      } finally {
        subscribers--
      }
    }),
    idle: os.route({ method: 'GET' }).handler(async function* ({ signal }) {
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }))
    }),
  }
  const handler = new RPCHandler(router)
  const server = createServer((req, res) => {
    handler
      .handle(req, res, { prefix: '/rpc', context: { n: floodCount(req.url) } })
      .then(({ matched }) => {
        if (!matched) res.writeHead(404).end()
      })
      .catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    publish: (message: Message) => publisher.publish('message', message),
    subscribers: () => subscribers,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}
