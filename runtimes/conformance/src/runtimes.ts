import type { App, CloseOptions } from '@sluice/core'
import { serveExpress } from './serve/express'
import { serveFastify } from './serve/fastify'
import { serveFetchNode } from './serve/fetch-node'
import { serveHono } from './serve/hono'
import { serveNode } from './serve/node'
import { serveNodeHttp2 } from './serve/node-http2'
import { serveUws } from './serve/uws'

/** A running server the suite can talk to. */
export interface Running {
  url: string
  /** Graceful: open streams get a final `retry:` and their functions finish, then sockets close. */
  close(options?: CloseOptions): Promise<void>
}

/** Serves an app on a runtime, on 127.0.0.1 and the given port (0: any free port). */
export type ServeApp = (app: App, port: number) => Promise<Running>

/** Every runtime the fixture and the suite run on, by the name `--runtime` takes. */
export const runtimes = {
  node: serveNode,
  express: serveExpress,
  fastify: serveFastify,
  uws: serveUws,
  'fetch-node': serveFetchNode,
  hono: serveHono,
} satisfies Record<string, ServeApp>

/**
 * Runtimes served over TLS with the suite's self-signed certificate: their clients must accept
 * it (and speak h2: `useHttp2Fetch`), so they stay out of `runtimes`, which plain fetch reaches.
 */
export const tlsRuntimes = {
  'node-h2': serveNodeHttp2,
} satisfies Record<string, ServeApp>
