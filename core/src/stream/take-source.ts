/** The key of a `TakeSource`'s method: a symbol, so no iterator's own `take` is mistaken for it. */
export const takeNext: unique symbol = Symbol('sluice.takeNext')

/**
 * A source the stream engine reads without a promise per value (a channel, a hub subscription):
 * `[takeNext]` returns the next result when one is ready, throws the source's failure, or
 * returns `undefined` and calls `onResult` (or `onError`) once, when the next one comes.
 */
export interface TakeSource {
  [takeNext](
    onResult: (result: IteratorResult<unknown, unknown>) => void,
    onError: (error: unknown) => void,
  ): IteratorResult<unknown, unknown> | undefined
}

/** Whether `source` can be read with `takeNext` instead of `next()`. */
export function isTakeSource(source: object): source is TakeSource {
  return typeof (source as Partial<TakeSource>)[takeNext] === 'function'
}
