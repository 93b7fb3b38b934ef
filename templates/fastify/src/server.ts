import type { App } from '@sluice/core'
import { sluicePlugin } from '@sluice/fastify'
import Fastify from 'fastify'

/** A running server: its URL, and `close`, which also ends open streams. */
export interface Running {
  url: string
  close(): Promise<void>
}

/** Serves the app on Fastify 5: each wired function becomes a native Fastify route. */
export async function startServer(
  app: App,
  options: { port?: number; host?: string; logger?: boolean } = {},
): Promise<Running> {
  // Streams hold their connections open: without this, close() would wait for them forever.
  const fastify = Fastify({ forceCloseConnections: true, logger: options.logger ?? false })
  fastify.get('/', () => 'sluice on Fastify: try GET /status, GET /metrics/live or POST /builds\n')
  await fastify.register(sluicePlugin, { app })
  const url = await fastify.listen({ port: options.port ?? 3000, host: options.host ?? '127.0.0.1' })
  // The plugin's preClose hook ends open streams gracefully (a final `retry:`, every `finally` run).
  return { url, close: () => fastify.close() }
}
