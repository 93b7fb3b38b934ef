/** @sluice/express: a sluice app as Express 5 middleware; requests it does not route go on to next(). */
export { createExpressMiddleware } from './adapter'
export type { ExpressMiddlewareOptions } from './adapter'
export { toCoreRequest } from './to-core-request'
export { sendCoreResponse } from './send-core-response'
