import { WireError } from '../errors/wire-error'

import type { OpenStream } from '../stream/open-stream'

export type { OpenStream } from '../stream/open-stream'

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
