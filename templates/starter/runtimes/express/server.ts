import type { App } from '@sluice/core'
import { createExpressMiddleware } from '@sluice/express'
import { listen } from '@sluice/node'
import express from 'express'

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

/** Serves the app on Express 5, next to an ordinary Express route (`GET /`). */
export function startServer(app: App, options: ServerOptions = {}): Promise<Running> {
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
