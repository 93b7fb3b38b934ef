import { WireError } from '../errors/wire-error'

/** Why an answer ended: a stream's end, or `done` / `error` for a JSON answer. */
export type EndReason = 'done' | 'error' | 'client-closed' | 'max-duration' | 'slow-consumer' | 'shutdown'

const byCode: Record<string, EndReason | undefined> = {
  STREAM_ENDED: 'done',
  HEAD: 'done',
  CLIENT_CLOSED: 'client-closed',
  MAX_DURATION: 'max-duration',
  SLOW_CONSUMER: 'slow-consumer',
  SHUTDOWN: 'shutdown',
}

/** Names the reason a stream's engine stopped with (`ctx.signal.reason`) for logs and spans. */
export function toEndReason(reason: unknown): EndReason {
  // A runtime's own close reason may be any value; only sluice's codes name another end.
  return reason instanceof WireError ? (byCode[reason.code] ?? 'error') : 'client-closed'
}
