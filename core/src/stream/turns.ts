/**
 * After the current turn's I/O; a plain timer where there is no setImmediate (not Node). The
 * arguments are passed on, so a caller needs no closure to say what the callback is for.
 */
export function afterTurn<A extends unknown[]>(callback: (...args: A) => void, ...args: A): void {
  if (typeof setImmediate === 'function') setImmediate(callback, ...args)
  else setTimeout(callback, 0, ...args)
}

interface Job<T> {
  items: readonly T[]
  index: number
  each: (item: T) => void
}

/**
 * Work over many items spread across event-loop turns, at most `perTurn` items a turn, in the
 * order it was handed in. One publish to 10k streams wakes 10k generators, and each wake
 * encodes and writes before the loop can turn: done at once, that holds the loop for hundreds
 * of milliseconds (every timer, every other request waits). A slice a turn lets I/O in between.
 * Work that fits this turn's budget runs at once, so small fan-outs lose no latency.
 */
export class TurnQueue {
  private readonly jobs: Job<never>[] = []
  private used = 0
  private scheduled = false

  constructor(
    /** Items run per turn, across every job; may be changed at any time (a bigger machine takes more). */
    public perTurn: number,
  ) {}

  /** Calls `each` on every item, now or in a later turn; never out of order with earlier calls. */
  run<T>(items: readonly T[], each: (item: T) => void): void {
    let index = 0
    // While older work waits, nothing may overtake it.
    if (this.jobs.length === 0) index = this.spend(items, 0, each)
    if (index < items.length) {
      this.jobs.push({ items, index, each } as unknown as Job<never>)
      this.schedule()
    }
  }

  /** Items waiting for a later turn. */
  get backlog(): number {
    let count = 0
    for (const job of this.jobs) count += job.items.length - job.index
    return count
  }

  // Runs items from `from` while this turn's budget lasts; returns where it stopped.
  private spend<T>(items: readonly T[], from: number, each: (item: T) => void): number {
    const end = Math.min(items.length, from + Math.max(0, this.perTurn - this.used))
    for (let index = from; index < end; index++) {
      try {
        each(items[index] as T)
      } catch {
        // One item's failure is its own (a stream already ending): the others still get theirs.
      }
    }
    this.used += end - from
    // The budget is per turn: it is given back at the next one.
    if (this.used > 0) this.schedule()
    return end
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    afterTurn(this.drain)
  }

  private readonly drain = (): void => {
    this.scheduled = false
    this.used = 0
    while (this.jobs.length > 0 && this.used < this.perTurn) {
      const job = this.jobs[0] as unknown as Job<unknown>
      job.index = this.spend(job.items, job.index, job.each)
      if (job.index < job.items.length) return
      this.jobs.shift()
    }
  }
}

/**
 * The process-wide queue hubs and heartbeats share, so their work together stays within one
 * budget a turn. 64 wakes a turn keep the loop delay p99 near 10 ms with 10k streams (see docs/reliability.md).
 */
export const fanOutQueue = new TurnQueue(64)
