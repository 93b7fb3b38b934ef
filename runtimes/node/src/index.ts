/** @sluice/node: serve a sluice app on node:http, or build another Node adapter on it. */
export { createNodeHandler } from './adapter'
export type { NodeHandler } from './adapter'
export { listen, serve } from './serve'
export type { ListenOptions, NodeServeOptions } from './serve'
/** What `serve` takes and resolves to: the same on every runtime (from `@sluice/core/adapter`). */
export type { Served, ServeOptions } from '@sluice/core/adapter'
export { toCoreRequest, readBody, tooLarge } from './to-core-request'
export { mergeVary, sendCoreResponse } from './send-core-response'
export { serveHttp2 } from './serve-http2'
export { sendHttp2Response } from './send-http2-response'
export type { Http2Options, ServedHttp2 } from './serve-http2'
