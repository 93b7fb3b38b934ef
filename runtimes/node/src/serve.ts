import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  closeApp,
  isListenSkipped,
  toListenAddress,
  toServedUrl,
  toSkippedServed,
  type App,
  type CloseOptions,
  type Served,
  type ServeOptions,
} from '@sluice/core/adapter'
import { createNodeHandler, type NodeHandler } from './adapter'
import { serveHttp2, type Http2Options } from './serve-http2'

/** Options of `listen`: where, and the app whose streams `close` ends gracefully. */
export interface ListenOptions extends ServeOptions {
  app?: App
}

/** Options of node's `serve`: the shared ones, and `http2` to serve HTTP/2 over TLS. */
export interface NodeServeOptions extends ServeOptions {
  /** Serve HTTP/2 over TLS (HTTP/1.1 still allowed) with these TLS options: `{ key, cert }`. */
  http2?: Http2Options
}

/**
 * Serves an app on node:http (node:http2 with `http2`) and resolves once it listens (at once,
 * listening nowhere, under `SLUICE_NO_LISTEN=1`).
 */
export function serve(app: App, options: NodeServeOptions = {}): Promise<Served> {
  const { http2, ...rest } = options
  if (http2 !== undefined && !isListenSkipped()) return serveHttp2(app, { ...rest, http2 })
  return listen(createNodeHandler(app), { ...rest, app })
}

/** Listens with any node:http request listener (an Express app too), with a graceful `close`. */
export function listen(listener: NodeHandler, options: ListenOptions = {}): Promise<Served> {
  const { app } = options
  if (isListenSkipped()) return Promise.resolve(skipped(app, options))
  const { port, host } = toListenAddress(options)
  const server = createServer(listener)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address() as AddressInfo
      const close = (closing?: CloseOptions): Promise<void> => closeServer(server, app, closing)
      resolve({ url: toServedUrl(address.address, address.port), port: address.port, close })
    })
  })
}

function skipped(app: App | undefined, options: ServeOptions): Served {
  if (app !== undefined) return toSkippedServed(app, options)
  const { port, host } = toListenAddress(options)
  return { url: toServedUrl(host, port), port, close: () => Promise.resolve() }
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
