import { fanOutQueue } from './turns'

/** Something a shared ticker calls on every tick. */
export interface Tickable {
  tick(now: number): void
}

interface Ticker {
  timer: ReturnType<typeof setInterval>
  members: Set<Tickable>
  /** A sweep over the members is still being handed out in slices. */
  sweeping: boolean
}

const tickers = new Map<number, Ticker>()

/**
 * Calls `member.tick(now)` every `periodMs` from ONE interval shared by every member with that
 * period, so 10k idle streams cost one timer, not 10k. The members are ticked a slice per
 * event-loop turn (`fanOutQueue`), since 10k heartbeats written in one turn stall the loop; a
 * tick that comes while the last sweep is still under way is skipped. `offTick` takes the
 * member out (no unsubscribe closure per member: 10k idle streams would hold 10k); the
 * interval stops when its last member leaves, and never keeps the process alive.
 */
export function onTick(periodMs: number, member: Tickable): void {
  let ticker = tickers.get(periodMs)
  if (ticker === undefined) {
    const members = new Set<Tickable>()
    const timer = setInterval(() => {
      const self = tickers.get(periodMs)
      if (self === undefined || self.sweeping) return
      self.sweeping = true
      fanOutQueue.run([...members], tickNow)
      // The queue keeps order, so this runs once the sweep is done.
      fanOutQueue.run([self], endSweep)
    }, periodMs)
    ;(timer as { unref?: () => void }).unref?.()
    tickers.set(periodMs, (ticker = { timer, members, sweeping: false }))
  }
  ticker.members.add(member)
}

/** Stops ticking `member`; safe to call for one that is not ticked. */
export function offTick(periodMs: number, member: Tickable): void {
  const ticker = tickers.get(periodMs)
  if (ticker === undefined || !ticker.members.delete(member) || ticker.members.size > 0) return
  clearInterval(ticker.timer)
  tickers.delete(periodMs)
}

// Read per member: a slice may run a few turns after the interval fired.
function tickNow(member: Tickable): void {
  member.tick(Date.now())
}

function endSweep(ticker: Ticker): void {
  ticker.sweeping = false
}

/** The tick period for a heartbeat: a quarter of it, between 10 ms and 1 s. */
export function tickPeriod(heartbeatMs: number): number {
  return Math.min(1000, Math.max(10, Math.floor(heartbeatMs / 4)))
}
