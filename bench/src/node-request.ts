// A GET /json as node's parser leaves it, and the loop that times a listener on such requests,
// for the socket-free cost loops (request-cost.ts, fastify-cost.ts): method, url, headers; its
// stream already ended; no socket under it.
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'

const socket = new Socket()

/** A request and its response on real node:http objects, with no connection. */
export function nodeRequest(): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(socket)
  req.method = 'GET'
  req.url = '/json'
  req.httpVersionMajor = req.httpVersionMinor = 1
  req.httpVersion = '1.1'
  req.headers = { host: '127.0.0.1:4000', accept: '*/*' }
  req.complete = true
  req.push(null)
  return { req, res: new ServerResponse(req) }
}

/** Requests a batch of this many, then one event-loop turn for their answers. */
export const BATCH = 100

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** One turn, then checks that every pending response ended in it, and empties the batch. */
export async function settle<T>(pending: T[], done: (item: T) => boolean): Promise<void> {
  await turn()
  if (!pending.every(done)) throw new Error('a response did not end within one turn')
  pending.length = 0
}

/** CPU µs per request of `listener` over `count` requests (CPU time, not wall time: the machine is shared). */
export async function nodeCost(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  count: number,
): Promise<number> {
  const started = process.cpuUsage()
  const pending: ServerResponse[] = []
  for (let i = 0; i < count; i++) {
    const { req, res } = nodeRequest()
    listener(req, res)
    pending.push(res)
    if (pending.length === BATCH) await settle(pending, ended)
  }
  await settle(pending, ended)
  const used = process.cpuUsage(started)
  return (used.user + used.system) / count
}

function ended(res: ServerResponse): boolean {
  return res.writableEnded
}
