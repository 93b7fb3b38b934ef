/** @sluice/uws: serve a sluice app on a uWebSockets.js `App()`, next to the user's own routes. */
export { attachUws, createUwsHandler } from './adapter'
export type { UwsApp, UwsHandler } from './adapter'
export { toCoreRequest } from './to-core-request'
export type { ToCoreRequestOptions, UwsRequest, UwsRequestSide } from './to-core-request'
export { sendCoreResponse } from './send-core-response'
export type { UwsResponse } from './send-core-response'
export { listen, serve } from './serve'
export type { UwsListenOptions, UwsModule, UwsServeOptions, UwsServerApp } from './serve'
/** What `serve` takes and resolves to: the same on every runtime (from `@sluice/core/adapter`). */
export type { Served, ServeOptions } from '@sluice/core/adapter'
