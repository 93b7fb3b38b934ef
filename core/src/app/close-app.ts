import type { App } from './create-app'

/** Options of `closeApp`. */
export interface CloseOptions {
  /** How long to wait for every stream's function to finish. Default 5000. */
  graceMs?: number
  /**
   * Each stream's final `retry:` is the app's `retryMs` plus a random share of this, so
   * clients come back spread out instead of all at once. Default 5000.
   */
  spreadMs?: number
}

/**
 * Shuts an app down gracefully: new requests get 503, every open stream gets a final
 * `retry:` (jittered) and ends without `done` (so clients reconnect elsewhere and resume), its
 * function's `finally` runs, and the promise resolves when all have finished or `graceMs`
 * passed. Runtimes call it from their own `close`, then drop the sockets left.
 */
export async function closeApp(app: App, options: CloseOptions = {}): Promise<void> {
  const { graceMs = 5000, spreadMs = 5000 } = options
  app.lifecycle.closing = true
  const base = app.options.sse.retryMs
  const ends = [...app.lifecycle.streams].map((stream) =>
    stream.shutdown(base + Math.floor(Math.random() * spreadMs)),
  )
  let timer: ReturnType<typeof setTimeout> | undefined
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))
  await Promise.race([Promise.allSettled(ends), grace])
  clearTimeout(timer)
}
