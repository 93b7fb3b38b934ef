import type { CoreRequest } from '../adapter/types'
import type { AbortWatch } from '../stream/event-stream-options'

/**
 * A call's `ctx.signal`, made on first read: a function that never reads it (most JSON
 * functions, many streams) costs no AbortController and no abort event, which an adapter may
 * then never create either. The stream engine learns of an abort through `watch` instead. Once
 * made or watched, it follows the client (the request's `onClose`, else its `signal`); an
 * `abort` before the signal is made is kept and applied when it is made.
 */
export class CallSignal implements AbortWatch {
  private controller: AbortController | undefined
  private aborted = false
  private reason: unknown
  private following = false
  private watcher: ((reason: unknown) => void) | undefined
  private bound: ((reason: unknown) => void) | undefined

  constructor(private readonly request: CoreRequest) {}

  get signal(): AbortSignal {
    if (this.controller !== undefined) return this.controller.signal
    const controller = (this.controller = new AbortController())
    if (this.aborted) controller.abort(this.reason)
    else this.follow()
    return controller.signal
  }

  /** Calls `listener` once when the call is aborted (at once if it was), without an AbortSignal. */
  watch(listener: (reason: unknown) => void): void {
    if (this.aborted) return listener(this.reason)
    this.watcher = listener
    this.follow()
  }

  /** Forgets the listener `watch` was given. */
  unwatch(): void {
    this.watcher = undefined
  }

  /** `abort` as a function of its own (for a stream's engine), made on first read: JSON calls never ask. */
  get aborter(): (reason: unknown) => void {
    return (this.bound ??= (reason) => this.abort(reason))
  }

  /** Aborts `ctx.signal` with `reason` (the first reason wins, as with an AbortController). */
  abort(reason: unknown): void {
    if (this.aborted) return
    // Had the client already left, the signal would have aborted with that reason first.
    // (With `onClose` the runtime makes no signal: this abort's own reason is kept.)
    if (!this.following && this.request.onClose === undefined && this.request.signal.aborted)
      reason = this.request.signal.reason
    this.aborted = true
    this.reason = reason
    this.controller?.abort(reason)
    const watcher = this.watcher
    this.watcher = undefined
    watcher?.(reason)
  }

  // Follows the client once, for the signal and the watcher both.
  private follow(): void {
    if (this.following) return
    this.following = true
    // `onClose` fires at once if the client already left, so that reason wins.
    if (this.request.onClose !== undefined) return this.request.onClose(this.aborter)
    const client = this.request.signal
    if (client.aborted) this.abort(client.reason)
    else client.addEventListener('abort', () => this.abort(client.reason), { once: true })
  }
}
