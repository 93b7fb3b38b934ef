import type { AddressInfo } from 'node:net'
import type { App } from '@sluice/core'
import { sluicePlugin, type Served, type ServeOptions } from '@sluice/fastify'
import Fastify from 'fastify'

/** Serves the app on Fastify 5: each wired function becomes a native Fastify route. */
export async function startServer(app: App, options: ServeOptions = {}): Promise<Served> {
  // Streams hold their connections open: without this, close() would wait for them forever.
  const fastify = Fastify({ forceCloseConnections: true })
  fastify.get('/', () => 'sluice on Fastify: try GET /status, GET /metrics/live or POST /builds\n')
  await fastify.register(sluicePlugin, { app })
  const url = await fastify.listen({ port: options.port ?? 3000, host: options.host ?? '127.0.0.1' })
  const { port } = fastify.server.address() as AddressInfo
  // The plugin's preClose hook ends open streams gracefully (a final `retry:`, every `finally` run).
  return { url, port, close: () => fastify.close() }
}
