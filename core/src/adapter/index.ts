/**
 * The core/adapter contract: the ONLY module a runtime imports from core. A runtime turns
 * its request into a `CoreRequest`, hands it to `createHandler(app)`, and writes the
 * `CoreResponse` back with its own backpressure.
 */
export type {
  ChunkSink,
  CoreBody,
  CoreHandler,
  CoreRequest,
  CoreResponse,
  CoreStream,
  PassingHandler,
} from './types'
export { createHandler, createRouteHandler } from '../http/handle-request'
export type { HandlerOptions, RouteHandler } from '../http/handle-request'
export type { Route } from '../app/wire-http'
export type { App } from '../app/create-app'
export { WireError } from '../errors/wire-error'
/** The JSON error answer core itself gives, for a request an adapter refuses before core sees it. */
export { toErrorResponse } from '../http/respond'
export { closeApp } from '../app/close-app'
export { createPreflightHandler } from '../http/create-preflight-handler'
export { concatBytes } from './concat-bytes'
/** Whether core reads a body for this method; an adapter need not keep one otherwise. */
export { hasBody } from '../http/negotiate'
export type { CloseOptions } from '../app/close-app'
/** One `serve(app, options)` per runtime resolves to `Served`; `SLUICE_NO_LISTEN=1` makes it skip listening. */
export type { Served, ServeOptions } from './served'
export { NO_LISTEN_ENV, isListenSkipped, toListenAddress, toServedUrl, toSkippedServed } from './served'
