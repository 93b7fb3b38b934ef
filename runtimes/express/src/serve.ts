import express from 'express'
import type { App, Served, ServeOptions } from '@sluice/core/adapter'
import { listen } from '@sluice/node'
import { createExpressMiddleware } from './adapter'

/**
 * Serves an app on a new Express 5 app (the middleware mounted at `/`) and resolves once it
 * listens. For your own Express app, mount `createExpressMiddleware(app)` and `listen` it.
 */
export function serve(app: App, options: ServeOptions = {}): Promise<Served> {
  return listen(express().use(createExpressMiddleware(app)), { ...options, app })
}
