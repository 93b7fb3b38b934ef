/** @sluice/express: a sluice app as Express 5 middleware; requests it does not route go on to next(). */
export { createExpressMiddleware } from './adapter'
export type { ExpressMiddlewareOptions } from './adapter'
export { toCoreRequest } from './to-core-request'
export { sendCoreResponse } from './send-core-response'
export { serve } from './serve'
/** What `serve` takes and resolves to: the same on every runtime (from `@sluice/core/adapter`). */
export type { Served, ServeOptions } from '@sluice/core/adapter'
