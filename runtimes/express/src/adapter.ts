import type { RequestHandler } from 'express'
import { createHandler, type App } from '@sluice/core/adapter'
import { sendCoreResponse } from './send-core-response'
import { toCoreRequest } from './to-core-request'

/** Options of `createExpressMiddleware`. */
export interface ExpressMiddlewareOptions {
  /**
   * Hand requests no wired route matches (an unknown path, or a method the path lacks) to
   * `next()`. Default true; false answers them with sluice's JSON 404 and 405 with `Allow`.
   */
  passUnmatched?: boolean
}

/** An Express middleware serving a sluice app: `expressApp.use(mw)` or `expressApp.use('/api', mw)`. */
export function createExpressMiddleware(app: App, options: ExpressMiddlewareOptions = {}): RequestHandler {
  const handle = createHandler(app, { passUnmatched: options.passUnmatched !== false })
  // Express 5 hands a rejected promise to next(error): a runtime fault (core answers every
  // error of its own) reaches the app's error handler, which ends a stream already started.
  return async (req, res, next) => {
    const response = await handle(toCoreRequest(req, res))
    if (response === undefined) next()
    else await sendCoreResponse(res, response)
  }
}
