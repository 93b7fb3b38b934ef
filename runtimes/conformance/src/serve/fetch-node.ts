import type { AddressInfo } from 'node:net'
import { closeApp, type App, type CloseOptions } from '@sluice/core'
import type { Served } from '@sluice/core/adapter'
import { createFetchHandler } from '@sluice/fetch'
import { serve } from 'srvx/node'

/** Serves an app's fetch handler on Node through srvx's node:http bridge, for the fixture and the suite. */
export async function serveFetchNode(app: App, port: number): Promise<Served> {
  const server = serve({
    fetch: createFetchHandler(app),
    port,
    hostname: '127.0.0.1',
    silent: true,
    gracefulShutdown: false,
  })
  await server.ready()
  const { port: bound } = server.node?.server?.address() as AddressInfo
  const close = async (options?: CloseOptions): Promise<void> => {
    // Streams hold their connections open: end them gracefully first, then drop what is left.
    await closeApp(app, options)
    await server.close(true)
  }
  return { url: `http://127.0.0.1:${bound}`, port: bound, close }
}
