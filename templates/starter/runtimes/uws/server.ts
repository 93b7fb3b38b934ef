import type { App } from '@sluice/core'
import { attachUws, listen, type Served, type ServeOptions } from '@sluice/uws'
import uWS from 'uWebSockets.js'

/** Serves the app on uWebSockets.js: one catch-all route next to your own, more specific ones. */
export function startServer(app: App, options: ServeOptions = {}): Promise<Served> {
  const server = uWS.App()
  server.get('/', (res) => {
    res.end('sluice on uWebSockets.js: try GET /status, GET /metrics/live or POST /builds\n')
  })
  attachUws(server, app) // sluice answers everything else, its own 404 and 405 included
  // `listen` closes gracefully: the listen socket first, then open streams get a final
  // `retry:` and end (their `finally` run), then the connections left are dropped.
  return listen(server, { ...options, app })
}
