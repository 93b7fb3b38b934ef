import { createExpressMiddleware } from '@sluice/express'
import { listen } from '@sluice/node'
import type { App } from '@sluice/core'
import express from 'express'

/** A running server: its URL, and `close`, which also ends open streams. */
export interface Running {
  url: string
  close(): Promise<void>
}

/** Serves the app on Express 5, next to an ordinary Express route. */
export function startServer(app: App, options: { port?: number; host?: string } = {}): Promise<Running> {
  const server = express()
  server.get('/', (_req, res) => {
    res.type('text').send('sluice on Express: try GET /status, GET /metrics/live or POST /builds\n')
  })
  // Requests no wired route matches go on to next(): here, to Express's own 404.
  server.use(createExpressMiddleware(app))
  // `listen` from @sluice/node: node:http with a graceful `close` that ends the app's streams
  // (a final `retry:`, every `finally` run) instead of waiting for them forever.
  return listen(server, { port: options.port ?? 3000, host: options.host ?? '127.0.0.1', app })
}
