// @sluice/client/tanstack: sluice stream calls as TanStack Query streamed queries. Apart from the
// main entry, which keeps zero dependencies; this one needs @tanstack/query-core's types (an optional peer).

/** A stream route as a streamed query: the events as they arrive, then `done: true` and `result`. */
export { streamedCall } from './streamed-call'
/** A progressive route as a live query: its JSON value, replaced by every update. */
export { liveCall } from './streamed-call'
/** The data of a `streamedCall` query, the parameters both return, and their options. */
export type {
  OpenCall,
  StreamChunk,
  StreamedCallOptions,
  StreamedData,
  StreamedQueryParams,
} from './streamed-call'
