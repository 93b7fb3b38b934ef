import type { App } from './create-app'
import { WireError } from '../errors/wire-error'

/** A stream the app can end on shutdown; resolves once its function has finished. */
export interface OpenStream {
  shutdown(retryMs: number): Promise<void>
}

/** What an app knows about its own life: whether it is closing, its open streams, their slots. */
export class Lifecycle {
  closing = false
  readonly streams = new Set<OpenStream>()
  private reserved = 0
  private readonly perSession = new Map<string, number>()

  /**
   * Takes a stream slot before a stream starts, or throws a 429 past `maxStreams` (per app) or
   * `maxStreamsPerSession`. Returns the release function, safe to call more than once.
   */
  reserve(
    session: string | undefined,
    limits: { maxStreams: number; maxStreamsPerSession: number },
  ): () => void {
    if (this.reserved >= limits.maxStreams) throw tooMany(`the server holds ${limits.maxStreams} streams`)
    const held = session === undefined ? 0 : (this.perSession.get(session) ?? 0)
    if (held >= limits.maxStreamsPerSession)
      throw tooMany(`this session holds ${limits.maxStreamsPerSession} streams`)
    this.reserved++
    if (session !== undefined) this.perSession.set(session, held + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.reserved--
      if (session === undefined) return
      const left = (this.perSession.get(session) ?? 1) - 1
      if (left === 0) this.perSession.delete(session)
      else this.perSession.set(session, left)
    }
  }
}

function tooMany(why: string): WireError {
  return new WireError('TOO_MANY_REQUESTS', `Too many open streams: ${why}`)
}

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
