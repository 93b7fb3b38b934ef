import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeApp, createHandler, type App, type CloseOptions } from '@sluice/core/adapter'
import { sendCoreResponse } from './send-core-response'
import { serveHttp2, type Http2Options, type ServedHttp2 } from './serve-http2'
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
  /** The app behind the listener, so `close` can end its streams gracefully (`closeApp`). */
  app?: App
  /** Serve HTTP/2 over TLS (HTTP/1.1 still allowed) with these TLS options: `{ key, cert }`. */
  http2?: Http2Options
}

/** A running server: its URL and a `close` that ends open streams gracefully, then the sockets. */
export interface Served {
  server: Server
  url: string
  close(options?: CloseOptions): Promise<void>
}

/** Serves an app on node:http (or node:http2 with `http2`) and resolves once it listens. */
export function serve(app: App, options: ServeOptions & { http2: Http2Options }): Promise<ServedHttp2>
export function serve(app: App, options?: ServeOptions): Promise<Served>
export function serve(app: App, options: ServeOptions = {}): Promise<Served | ServedHttp2> {
  const { http2 } = options
  if (http2 !== undefined) return serveHttp2(app, { ...options, http2 })
  return listen(createNodeHandler(app), { ...options, app })
}

/** Listens with any node:http request listener (an Express app too), with a graceful `close`. */
export function listen(listener: NodeHandler, options: ServeOptions = {}): Promise<Served> {
  const server = createServer(listener)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      const { address, port } = server.address() as AddressInfo
      const host = address.includes(':') ? `[${address}]` : address
      const close = (closing?: CloseOptions): Promise<void> => closeServer(server, options.app, closing)
      resolve({ server, url: `http://${host}:${port}`, close })
    })
  })
}

// Stop accepting, let the app end its streams (a final jittered `retry:`, every `finally` run,
// within the grace period), then drop what is left: streams hold their connections open, so a
// plain close would wait for them forever.
async function closeServer(server: Server, app: App | undefined, options?: CloseOptions): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)))
  })
  if (app !== undefined) await closeApp(app, options)
  server.closeAllConnections()
  await closed
}
