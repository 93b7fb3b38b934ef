/** Something a shared ticker calls on every tick. */
export interface Tickable {
  tick(now: number): void
}

interface Ticker {
  timer: ReturnType<typeof setInterval>
  members: Set<Tickable>
}

const tickers = new Map<number, Ticker>()

/**
 * Calls `member.tick(now)` every `periodMs` from ONE interval shared by every member with that
 * period, so 10k idle streams cost one timer, not 10k. Returns the unsubscribe function; the
 * interval stops when its last member leaves, and never keeps the process alive by itself.
 */
export function onTick(periodMs: number, member: Tickable): () => void {
  let ticker = tickers.get(periodMs)
  if (ticker === undefined) {
    const members = new Set<Tickable>()
    const timer = setInterval(() => {
      const now = Date.now()
      for (const each of members) each.tick(now)
    }, periodMs)
    ;(timer as { unref?: () => void }).unref?.()
    tickers.set(periodMs, (ticker = { timer, members }))
  }
  const { members, timer } = ticker
  members.add(member)
  return () => {
    members.delete(member)
    if (members.size > 0) return
    clearInterval(timer)
    tickers.delete(periodMs)
  }
}

/** The tick period for a heartbeat: a quarter of it, between 10 ms and 1 s. */
export function tickPeriod(heartbeatMs: number): number {
  return Math.min(1000, Math.max(10, Math.floor(heartbeatMs / 4)))
}
