// Parameters for TanStack Query's `experimental_streamedQuery`, made from a sluice stream call.
// Only TanStack's types are imported: the user's own `streamedQuery` runs them, so this subpath
// adds no code of TanStack's and works with whichever @tanstack/query-core >= 5.86 they have.
import type { QueryFunctionContext, QueryKey } from '@tanstack/query-core'
import type { StreamCall } from '../stream-call'

/** Opens one run of a query's stream: pass `context.signal` to the call so a cancelled query cancels it. */
export type OpenCall<E, O, K extends QueryKey> = (context: QueryFunctionContext<K>) => StreamCall<E, O>

/** The data of a query made with `streamedCall`: the events so far, then the stream's `done` value. */
export type StreamedData<E, O> =
  { done: false; events: E[]; result?: undefined } | { done: true; events: E[]; result: O }

/** The end of a stream, carrying its `done` value; events are JSON, so never an instance of this. */
class StreamEnd<O> {
  constructor(readonly result: O) {}
}

/** What a stream made here yields to TanStack: each event as it is, then its end. */
export type StreamChunk<E, O> = E | StreamEnd<O>

/**
 * What `experimental_streamedQuery` takes. `refetchMode` is TanStack's, without `'append'`:
 * appended to the last run's data, a new run's events would follow the old run's `done`.
 */
export interface StreamedQueryParams<Chunk, Data, K extends QueryKey> {
  streamFn: (context: QueryFunctionContext<K>) => AsyncIterable<Chunk>
  reducer: (data: Data, chunk: Chunk) => Data
  initialValue: Data
  refetchMode?: 'reset' | 'replace'
}

/** Options of `streamedCall`. */
export interface StreamedCallOptions {
  /** Keep only the last N events (1 for a progress bar); all of them by default. */
  maxEvents?: number
  /** TanStack's: `'reset'` (default) empties the data on a refetch, `'replace'` swaps it in at the end. */
  refetchMode?: 'reset' | 'replace'
}

/** Yields the call's events, then its `done` value wrapped; `break` by TanStack cancels the call. */
async function* withEnd<E, O>(call: StreamCall<E, O>): AsyncGenerator<StreamChunk<E, O>> {
  yield* call
  yield new StreamEnd(await call.result)
}

/**
 * A stream route as a streamed query: `streamedQuery(streamedCall(({ signal }) => api.x(input, { signal })))`.
 * The data holds the events as they arrive, then `done: true` and `result`, the stream's `done` value.
 */
export function streamedCall<E, O, K extends QueryKey = QueryKey>(
  open: OpenCall<E, O, K>,
  options: StreamedCallOptions = {},
): StreamedQueryParams<StreamChunk<E, O>, StreamedData<E, O>, K> {
  const { maxEvents = Infinity, refetchMode } = options
  if (!(maxEvents >= 1) || (maxEvents !== Infinity && !Number.isInteger(maxEvents)))
    throw new RangeError(`sluice: maxEvents must be a whole number >= 1, got ${String(maxEvents)}`)
  return {
    // The context is passed on untouched: reading its `signal` is what tells TanStack to cancel.
    streamFn: (context) => withEnd(open(context)),
    reducer: (data, chunk) => {
      if (chunk instanceof StreamEnd) return { done: true, events: data.events, result: chunk.result }
      const events = [...data.events, chunk]
      if (events.length > maxEvents) events.splice(0, events.length - maxEvents)
      return { done: false, events }
    },
    initialValue: { done: false, events: [] },
    refetchMode,
  }
}

/** Yields the call's values, then its `done` value unless that is `null` (a channel closed without one). */
async function* withFinal<E, O>(call: StreamCall<E, O>): AsyncGenerator<E | NonNullable<O>> {
  yield* call
  const result = await call.result
  if (result !== null && result !== undefined) yield result
}

/**
 * A progressive (`sse: true`) route as a live query: `streamedQuery(liveCall(({ signal }) => api.x.stream(input, { signal })))`.
 * The data is the route's JSON value (the stream's first event), replaced by every update.
 */
export function liveCall<E, O, K extends QueryKey = QueryKey>(
  open: OpenCall<E, O, K>,
  options: Pick<StreamedCallOptions, 'refetchMode'> = {},
): StreamedQueryParams<E | NonNullable<O>, E | NonNullable<O>, K> {
  return {
    streamFn: (context) => withFinal(open(context)),
    reducer: (_data, value) => value,
    // Never the data: a progressive stream's first event is its JSON value. TanStack returns this
    // only from a run that was cancelled before it began, or for a stream that sent nothing, where
    // it refuses the `undefined` as data (a query error), which is what such a stream is.
    initialValue: undefined as unknown as E | NonNullable<O>,
    refetchMode: options.refetchMode,
  }
}
