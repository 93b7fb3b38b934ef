/** @sluice/fetch: serve a sluice app on any web-standard fetch runtime (Bun, Deno, Workers), or call it in-process. */
export { createFetchHandler } from './adapter'
export type { FetchHandler } from './adapter'
export { toCoreRequest, readBody, type FetchCoreRequest } from './to-core-request'
export {
  sendCoreResponse,
  toReadableStream,
  STREAM_HIGH_WATER_MARK,
  type StreamOptions,
} from './send-core-response'
