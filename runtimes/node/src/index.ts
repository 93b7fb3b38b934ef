/** @sluice/node: serve a sluice app on node:http, or build another Node adapter on it. */
export { createNodeHandler, listen, serve } from './adapter'
export type { NodeHandler, Served, ServeOptions } from './adapter'
export { toCoreRequest, readBody, tooLarge } from './to-core-request'
export { mergeVary, sendCoreResponse } from './send-core-response'
export { serveHttp2 } from './serve-http2'
export { sendHttp2Response } from './send-http2-response'
export type { Http2Options, ServedHttp2 } from './serve-http2'
