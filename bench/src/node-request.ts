// A GET /json as node's parser leaves it, for the socket-free cost loops (request-cost.ts,
// fastify-cost.ts): method, url, headers; its stream already ended; no socket under it.
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
