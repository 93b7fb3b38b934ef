import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHandler, type App, type CoreResponse } from '@sluice/core/adapter'
import { writeResponse } from './send-core-response'
import { toCoreRequest } from './to-core-request'

/** A node:http request listener serving a sluice app. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void

/** Creates a `(req, res)` listener for `http.createServer` (or any node:http server). */
export function createNodeHandler(app: App): NodeHandler {
  const handle = createHandler(app)
  return (req, res) => {
    // One reaction per request: a JSON answer is written in it, a stream's writer goes on.
    handle(toCoreRequest(req, res)).then(
      (response) => send(res, response),
      (error: unknown) => fail(res, error),
    )
  }
}

function send(res: ServerResponse, response: CoreResponse): void {
  try {
    writeResponse(res, response, fail)
  } catch (error) {
    fail(res, error)
  }
}

// Only a runtime fault gets here (core answers every error itself), e.g. a header value node
// refuses. Say nothing specific; end the socket if bytes already left.
function fail(res: ServerResponse, error: unknown): void {
  console.error('sluice: could not send the response:', error)
  if (res.headersSent) res.destroy()
  else res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(INTERNAL)
}

const INTERNAL = JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal server error' } })
