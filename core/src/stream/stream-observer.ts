import type { WireError } from '../errors/wire-error'
import type { EventFields } from './with-event'

/** What an event stream tells whoever watches it (`EventStreamOptions.observer`). */
export interface StreamObserver {
  event(data: unknown, fields: EventFields | undefined, frame: string): void
  /** `frame` is the final `done` or `error` frame, if one was sent; `failed` the error sent. */
  end(reason: unknown, frame: string | undefined, failed: WireError | undefined): void
}
