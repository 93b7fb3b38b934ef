import type { App } from '@sluice/core'
import { sluicePlugin } from '@sluice/fastify'
import Fastify from 'fastify'

/** Where `startServer` listens. */
export interface ServerOptions {
  /** 0 picks a free port. Default 3000. */
  port?: number | undefined
  /** Default 127.0.0.1; `0.0.0.0` listens on every interface. */
  host?: string | undefined
}

/** A listening server: its URL, and `close`, which also ends open streams. */
export interface Running {
  url: string
  close(): Promise<void>
}

/** Serves the app on Fastify 5: each wired function becomes a native Fastify route. */
export async function startServer(app: App, options: ServerOptions = {}): Promise<Running> {
  // Streams hold their connections open: without this, close() would wait for them forever.
  const fastify = Fastify({ forceCloseConnections: true })
  fastify.get('/', () => 'sluice on Fastify: try GET /status, GET /metrics/live or POST /builds\n')
  await fastify.register(sluicePlugin, { app })
  const url = await fastify.listen({ port: options.port ?? 3000, host: options.host ?? '127.0.0.1' })
  // The plugin's preClose hook ends open streams gracefully (a final `retry:`, every `finally` run).
  return { url, close: () => fastify.close() }
}
