import { createServer } from 'node:http'
import { createChannel, createSession } from 'better-sse'
import type { Message } from '../hub'
import { floodCount, JSON_BODY, type StartServer } from './types'

/**
 * better-sse on node:http: a session per request (`createSession(req, res)`), `session.iterate`
 * for a generator, and a channel's `broadcast` for fan-out, as its guides show.
 */
export const betterSseServer: StartServer = async (port) => {
  const channel = createChannel()
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]
    if (path === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify(JSON_BODY))
    }
    void (async () => {
      const session = await createSession(req, res)
      if (path === '/one') {
        session.push({ i: 1 })
        res.end()
      } else if (path === '/flood') {
        const n = floodCount(req.url)
        await session.iterate(
          (async function* () {
            for (let i = 1; i <= n; i++) yield { i }
          })(),
        )
        res.end()
      } else if (path === '/sub') channel.register(session)
    })()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    publish: (message: Message) => void channel.broadcast(message),
    subscribers: () => channel.sessionCount,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}
