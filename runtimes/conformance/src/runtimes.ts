import { serveExpress } from './serve/express'
import { serveFastify } from './serve/fastify'
import { serveNode } from './serve/node'
import { serveUws } from './serve/uws'
import type { ServeApp } from './serve/running'

export type { Running, ServeApp } from './serve/running'

/** Every runtime the fixture and the suite run on, by the name `--runtime` takes. */
export const runtimes = {
  node: serveNode,
  express: serveExpress,
  fastify: serveFastify,
  uws: serveUws,
} satisfies Record<string, ServeApp>
