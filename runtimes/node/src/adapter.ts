import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
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

/** Options of `serve`. */
export interface ServeOptions {
  /** 0 picks a free port. Default 3000. */
  port?: number
  /** Default 127.0.0.1; pass `0.0.0.0` to listen on every interface. */
  host?: string
}

/** A running server: its URL and a `close` that ends open streams too. */
export interface Served {
  server: Server
  url: string
  close(): Promise<void>
}

/** Serves an app on node:http and resolves once it listens. */
export function serve(app: App, options: ServeOptions = {}): Promise<Served> {
  return listen(createNodeHandler(app), options)
}

/** Listens with any node:http request listener (an Express app too), with a `close` that ends streams. */
export function listen(listener: NodeHandler, options: ServeOptions = {}): Promise<Served> {
  const server = createServer(listener)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      const { address, port } = server.address() as AddressInfo
      const host = address.includes(':') ? `[${address}]` : address
      resolve({ server, url: `http://${host}:${port}`, close: () => closeServer(server) })
    })
  })
}

// Streams hold their connections open, so a plain close would wait for them forever.
// Closing the sockets aborts each stream's signal, which runs every generator's `finally`.
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)))
    server.closeAllConnections()
  })
}
