import { createServer, type ServerResponse } from 'node:http'
import type { Message } from '../hub'
import { floodCount, frame, JSON_BODY, type StartServer } from './types'

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
}

/**
 * The raw node:http baseline: JSON with `res.end`, and SSE loops with the same framing and
 * backpressure as sluice (a write that returns false waits for `drain`), written by hand.
 */
export const rawNode: StartServer = async (port) => {
  const subscribers = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    const url = req.url ?? '/'
    const path = url.split('?', 1)[0]
    if (path === '/json') {
      const body = JSON.stringify(JSON_BODY)
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      })
      return res.end(body)
    }
    res.writeHead(200, SSE_HEADERS)
    if (path === '/one') return res.end(frame({ i: 1 }))
    if (path === '/flood') return flood(res, floodCount(url))
    if (path === '/sub') {
      res.write(': open\n\n')
      subscribers.add(res)
      res.on('close', () => subscribers.delete(res))
      return
    }
    if (path === '/idle') return void res.write(': open\n\n')
    res.statusCode = 404
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    // Encoded once; a subscriber whose socket is full queues in node's own buffer.
    publish: (message: Message) => {
      const chunk = frame(message)
      for (const res of subscribers) res.write(chunk)
    },
    subscribers: () => subscribers.size,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

function flood(res: ServerResponse, n: number): void {
  let i = 0
  const pump = (): void => {
    while (i < n) {
      if (res.destroyed) return
      if (!res.write(frame({ i: ++i }))) return void res.once('drain', pump)
    }
    res.end()
  }
  pump()
}
