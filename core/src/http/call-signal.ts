import type { CoreRequest } from '../adapter/types'

/**
 * A call's `ctx.signal`, made on first read: a function that never reads it (most JSON
 * functions) costs no AbortController and no listener on the request's signal, which an
 * adapter may then never create either. Once made, it follows the client (the request's
 * `onClose`, else its `signal`); an `abort` before then is kept and applied when it is made.
 */
export class CallSignal {
  private controller: AbortController | undefined
  private aborted = false
  private reason: unknown
  private bound: ((reason: unknown) => void) | undefined

  constructor(private readonly request: CoreRequest) {}

  get signal(): AbortSignal {
    if (this.controller !== undefined) return this.controller.signal
    const controller = (this.controller = new AbortController())
    if (this.aborted) controller.abort(this.reason)
    else if (this.request.onClose !== undefined) {
      // Fires at once if the client already left, so that reason wins as below.
      this.request.onClose((reason) => controller.abort(reason))
    } else {
      const client = this.request.signal
      if (client.aborted) controller.abort(client.reason)
      else client.addEventListener('abort', () => controller.abort(client.reason), { once: true })
    }
    return controller.signal
  }

  /** `abort` as a function of its own (for a stream's engine), made on first read. */
  get aborter(): (reason: unknown) => void {
    return (this.bound ??= (reason) => this.abort(reason))
  }

  /** Aborts `ctx.signal` with `reason` (the first reason wins, as with an AbortController). */
  abort(reason: unknown): void {
    if (this.controller !== undefined) this.controller.abort(reason)
    else if (!this.aborted) {
      this.aborted = true
      this.reason = reason
      // Had the client already left, the signal would have aborted with that reason first.
      // (With `onClose` the runtime makes no signal: this abort's own reason is kept.)
      if (this.request.onClose === undefined) {
        const client = this.request.signal
        if (client.aborted) this.reason = client.reason
      }
    }
  }
}
