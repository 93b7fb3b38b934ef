/** @sluice/fastify: a Fastify 5 plugin that serves a sluice app as native Fastify routes. */
export { sluicePlugin } from './adapter'
export type { SluicePluginOptions } from './adapter'
export { toBodyError, toCoreRequest } from './to-core-request'
export { sendCoreResponse } from './send-core-response'
export { serve } from './serve'
export type { FastifyServeOptions } from './serve'
/** What `serve` takes and resolves to: the same on every runtime (from `@sluice/core/adapter`). */
export type { Served, ServeOptions } from '@sluice/core/adapter'
