/**
 * A value now, or a promise of it. The request pipeline returns one from each step, so a
 * request whose steps are all synchronous (no `authenticate`, no body, no async schema, a
 * plain function) makes no promise and takes no microtask until the handler's one answer.
 */
export type MaybePromise<T> = T | Promise<T>

/**
 * True for anything `await` would wait on: a promise, or any object with a `then` method (what
 * user code returns). Core's own steps return real promises, which `instanceof` tells.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
