/**
 * The core/adapter contract: the ONLY module a runtime imports from core. A runtime turns
 * its request into a `CoreRequest`, hands it to `createHandler(app)`, and writes the
 * `CoreResponse` back with its own backpressure.
 */
export type { CoreBody, CoreHandler, CoreRequest, CoreResponse, PassingHandler } from './types'
export { createHandler, createRouteHandler } from '../http/handle-request'
export type { HandlerOptions, RouteHandler } from '../http/handle-request'
export type { Route } from '../app/wire-http'
export type { App } from '../app/create-app'
export { WireError } from '../errors/wire-error'
export { closeApp } from '../app/close-app'
export { createPreflightHandler } from '../http/create-preflight-handler'
/** Whether core reads a body for this method; an adapter need not keep one otherwise. */
export { hasBody } from '../http/negotiate'
export type { CloseOptions } from '../app/close-app'
