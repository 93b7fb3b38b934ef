import type { CoreRequest } from '../adapter/types'

/**
 * A call's `ctx.signal`, made on first read: a function that never reads it (most JSON
 * functions) costs no AbortController and no listener on the request's signal, which an
 * adapter may then never create either. Once made, it follows the request's signal; an
 * `abort` before then is kept and applied when it is made.
 */
export class CallSignal {
  private controller: AbortController | undefined
  private aborted = false
  private reason: unknown

  constructor(private readonly request: CoreRequest) {}

  get signal(): AbortSignal {
    if (this.controller !== undefined) return this.controller.signal
    const controller = (this.controller = new AbortController())
    if (this.aborted) controller.abort(this.reason)
    else {
      const client = this.request.signal
      if (client.aborted) controller.abort(client.reason)
      else client.addEventListener('abort', () => controller.abort(client.reason), { once: true })
    }
    return controller.signal
  }

  /** Aborts `ctx.signal` with `reason` (the first reason wins, as with an AbortController). */
  readonly abort = (reason: unknown): void => {
    if (this.controller !== undefined) this.controller.abort(reason)
    else if (!this.aborted) {
      // Had the client already left, the signal would have aborted with that reason first.
      const client = this.request.signal
      this.aborted = true
      this.reason = client.aborted ? client.reason : reason
    }
  }
}
