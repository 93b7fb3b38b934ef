import type { App, Served } from '@sluice/core/adapter'
import { serve as serveExpress } from '@sluice/express'
import { serve as serveFastify } from '@sluice/fastify'
import { serve as serveNode } from '@sluice/node'
import { serve as serveUws } from '@sluice/uws'

/** Serves an app on a runtime, on 127.0.0.1 and the given port (0: any free port). */
export type ServeApp = (app: App, port: number) => Promise<Served>

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
} satisfies Record<string, ServeApp>
