import type { App } from '@sluice/core'
import { createNodeHandler, listen } from '@sluice/node'

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

/** Serves the app on node:http, next to a plain request handler of your own (`GET /`). */
export function startServer(app: App, options: ServerOptions = {}): Promise<Running> {
  const sluice = createNodeHandler(app)
  const handler: Parameters<typeof listen>[0] = (req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end('sluice on node:http: try GET /status, GET /metrics/live or POST /builds\n')
      return
    }
    sluice(req, res) // sluice answers everything else, its own 404 and 405 included
  }
  // `listen` closes gracefully: open streams get a final `retry:` and end, their `finally` run.
  return listen(handler, { port: options.port ?? 3000, host: options.host ?? '127.0.0.1', app })
}
