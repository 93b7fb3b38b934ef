import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHandler, type App } from '@sluice/core/adapter'
import { sendCoreResponse } from './send-core-response'
import { toCoreRequest } from './to-core-request'

/** A node:http request listener serving a sluice app. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void

/** Creates a `(req, res)` listener for `http.createServer` (or any node:http server). */
export function createNodeHandler(app: App): NodeHandler {
  const handle = createHandler(app)
  return (req, res) => {
    handle(toCoreRequest(req, res))
      .then((response) => sendCoreResponse(res, response))
      .catch((error: unknown) => {
        // Only a runtime fault gets here (core answers every error itself), e.g. a header
        // value node refuses. Say nothing specific; end the socket if bytes already left.
        console.error('sluice: could not send the response:', error)
        if (res.headersSent) res.destroy()
        else res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(INTERNAL)
      })
  }
}

const INTERNAL = JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal server error' } })
