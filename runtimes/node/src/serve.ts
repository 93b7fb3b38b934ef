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

/** Options of `listen`: where, and the app whose streams `close` ends gracefully. */
export interface ListenOptions extends ServeOptions {
  app?: App
}

/** Serves an app on node:http and resolves once it listens (at once, listening nowhere, under `SLUICE_NO_LISTEN=1`). */
export function serve(app: App, options: ServeOptions = {}): Promise<Served> {
  return listen(createNodeHandler(app), { ...options, app })
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
