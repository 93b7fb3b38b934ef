/** @sluice/fastify: a Fastify 5 plugin that serves a sluice app as native Fastify routes. */
export { sluicePlugin } from './adapter'
export type { SluicePluginOptions } from './adapter'
export { toBodyError, toCoreRequest } from './to-core-request'
export { sendCoreResponse } from './send-core-response'
