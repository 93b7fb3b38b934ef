import express from 'express'
import type { App } from '@sluice/core'
import { createExpressMiddleware } from '@sluice/express'
import { listen } from '@sluice/node'
import type { Running } from './running'

/** Serves an app as Express middleware, mounted as a user would, for the fixture and the suite. */
export function serveExpress(app: App, port: number): Promise<Running> {
  return listen(express().use(createExpressMiddleware(app)), { port, host: '127.0.0.1', app })
}
