/** @sluice/node: serve a sluice app on node:http, or build another Node adapter on it. */
export { createNodeHandler, serve } from './adapter'
export type { NodeHandler, Served, ServeOptions } from './adapter'
export { toCoreRequest, readBody } from './to-core-request'
export { sendCoreResponse } from './send-core-response'
