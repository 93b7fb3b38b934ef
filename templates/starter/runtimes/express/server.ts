import type { App } from '@sluice/core'
import { createExpressMiddleware, type Served, type ServeOptions } from '@sluice/express'
import { listen } from '@sluice/node'
import express from 'express'

/** Serves the app on Express 5, next to an ordinary Express route (`GET /`). */
export function startServer(app: App, options: ServeOptions = {}): Promise<Served> {
  const server = express()
  server.get('/', (_req, res) => {
    res.type('text').send('sluice on Express: try GET /status, GET /metrics/live or POST /builds\n')
  })
  // Requests no wired route matches go on to next(): here, to Express's own 404.
  server.use(createExpressMiddleware(app))
  // `listen` from @sluice/node: node:http with a graceful `close` that ends the app's streams
  // (a final `retry:`, every `finally` run) instead of waiting for them forever.
  return listen(server, { ...options, app })
}
