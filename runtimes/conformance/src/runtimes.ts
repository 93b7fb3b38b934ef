import { serve as serveExpress } from '@sluice/express'
import { serve as serveFastify } from '@sluice/fastify'
import { serve as serveNode } from '@sluice/node'
import { serve as serveUws } from '@sluice/uws'
import { serveFetchNode } from './serve/fetch-node'
import { serveHono } from './serve/hono'
import { serveNodeHttp2 } from './serve/node-http2'
import type { ServeApp } from './serve/running'

export type { ServeApp } from './serve/running'

const host = '127.0.0.1'

/**
 * Every runtime the fixture and the suite run on, by the name `--runtime` takes: each one's
 * own `serve()`, exactly as a user calls it. uWS loads its native addon only when served.
 */
export const runtimes = {
  node: (app, port) => serveNode(app, { port, host }),
  express: (app, port) => serveExpress(app, { port, host }),
  fastify: (app, port) => serveFastify(app, { port, host }),
  uws: (app, port) => serveUws(app, { port, host }),
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
