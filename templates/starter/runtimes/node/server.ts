import type { App } from '@sluice/core'
import { createNodeHandler, listen, type Served, type ServeOptions } from '@sluice/node'

/** Serves the app on node:http, behind a plain request handler of your own (`GET /`). */
export function startServer(app: App, options: ServeOptions = {}): Promise<Served> {
  const sluice = createNodeHandler(app)
  // `listen` (like `serve(app)`) closes gracefully: open streams get a final `retry:` and end,
  // their `finally` run, instead of holding `close()` forever.
  return listen(
    (req, res) => {
      if (req.method === 'GET' && req.url === '/') {
        res.setHeader('content-type', 'text/plain; charset=utf-8')
        res.end('sluice on node:http: try GET /status, GET /metrics/live or POST /builds\n')
        return
      }
      sluice(req, res) // sluice answers everything else, its own 404 and 405 included
    },
    { ...options, app },
  )
}
