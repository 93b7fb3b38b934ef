import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
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
import { sluicePlugin } from './adapter'

/** Options of the Fastify `serve`: where, and how `fastify.close()` ends open streams. */
export interface FastifyServeOptions extends ServeOptions {
  shutdown?: CloseOptions
}

/** Serves an app on a new Fastify 5 instance (through `sluicePlugin`) and resolves once it listens. */
export async function serve(app: App, options: FastifyServeOptions = {}): Promise<Served> {
  if (isListenSkipped()) return toSkippedServed(app, options)
  // Streams hold their connections open: without forceCloseConnections, close() would wait for them.
  const fastify = Fastify({ forceCloseConnections: true })
  await fastify.register(sluicePlugin, { app, ...(options.shutdown && { shutdown: options.shutdown }) })
  await fastify.listen(toListenAddress(options))
  const { address, port } = fastify.server.address() as AddressInfo
  // closeApp first so a caller's options set the grace period; the plugin's preClose hook then finds it done.
  const close = async (closing?: CloseOptions): Promise<void> => {
    await closeApp(app, closing)
    await fastify.close()
  }
  return { url: toServedUrl(address, port), port, close }
}
