import { closeApp, type App, type CloseOptions } from '@sluice/core'
import { sluicePlugin } from '@sluice/fastify'
import Fastify from 'fastify'
import type { Running } from './running'

/** Serves an app on Fastify 5, through `sluicePlugin`, for the fixture and the suite. */
export async function serveFastify(app: App, port: number): Promise<Running> {
  // Streams hold their connections open; `close()` must end them too, which aborts each
  // stream's signal and runs every generator's `finally`.
  const fastify = Fastify({ forceCloseConnections: true })
  await fastify.register(sluicePlugin, { app })
  const url = await fastify.listen({ port, host: '127.0.0.1' })
  // The plugin's preClose hook ends streams gracefully on fastify.close(); closing the app
  // first only lets the suite choose the grace period.
  const close = async (options?: CloseOptions): Promise<void> => {
    await closeApp(app, options)
    await fastify.close()
  }
  return { url, close }
}
