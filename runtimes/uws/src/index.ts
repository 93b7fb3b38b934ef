/** @sluice/uws: serve a sluice app on a uWebSockets.js `App()`, next to the user's own routes. */
export { attachUws, createUwsHandler } from './adapter'
export type { UwsApp, UwsHandler } from './adapter'
export { toCoreRequest } from './to-core-request'
export type { ToCoreRequestOptions, UwsRequest, UwsRequestSide } from './to-core-request'
export { sendCoreResponse } from './send-core-response'
export type { UwsResponse } from './send-core-response'
