import { setTimeout as sleep } from 'node:timers/promises'
import { fanOutQueue, type HubEvent, type HubSubscription } from '@sluice/core/hub'
import { toStreams, type RawEntry } from './replies'
import { compareIds } from './stream-id'

/** The one command the reader needs from its (dedicated, blocking) connection. */
export interface BlockingConnection {
  sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>
}

/** Settings of a `StreamReader`. */
export interface StreamReaderOptions {
  connection: BlockingConnection
  /** A stream of this process's own: an entry added to it ends the blocked XREAD at once. */
  wakeKey: string
  /** Adds an entry to `wakeKey` (through the other connection). */
  wake: () => Promise<unknown>
  blockMs: number
  /** Entries per stream per XREAD; below the subscriber queue limit, so one reply never overflows a reader. */
  count: number
  toEvent: (entry: RawEntry) => HubEvent<unknown> | undefined
  onError: (error: unknown) => void
}

interface Topic {
  /** The last id read and dispatched (or the position the first subscriber started at). */
  cursor: string
  /** Subscribers, each with the id it already has past the cursor (its live events start after it). */
  subscribers: Map<HubSubscription<unknown>, string | undefined>
}

/**
 * Reads every subscribed stream of the process with ONE blocking `XREAD` on one connection,
 * and fans each entry out to that stream's subscribers (the JSON parsed once per entry). When a
 * stream is added while the XREAD blocks without it, an entry added to this process's wake
 * stream (which the XREAD always includes) ends it, and it is re-issued with the new key set.
 */
export class StreamReader {
  private readonly topics = new Map<string, Topic>()
  private wakeId = '0-0'
  private inFlight: ReadonlySet<string> | undefined
  private woken = false
  private running = false
  private stopped = false

  constructor(private readonly options: StreamReaderOptions) {}

  /** Streams being read now. */
  get size(): number {
    return this.topics.size
  }

  /**
   * Starts delivering entries of `key` after `from` to `subscription`; a stream not read yet is
   * read from `lastId` (its end, so a backlog is never pushed as live). Returns the cursor:
   * entries after it arrive live, and the subscriber reads `(from, cursor]` itself.
   */
  add(key: string, from: string, lastId: string, subscription: HubSubscription<unknown>): string {
    let topic = this.topics.get(key)
    if (topic === undefined) {
      topic = { cursor: lastId, subscribers: new Map() }
      this.topics.set(key, topic)
    }
    // A subscriber ahead of the cursor (the XREAD has not caught up yet) skips what it has.
    topic.subscribers.set(subscription, compareIds(from, topic.cursor) > 0 ? from : undefined)
    this.kick(key)
    return topic.cursor
  }

  /** Stops delivering to `subscription`; a stream nobody reads leaves the next XREAD. */
  remove(key: string, subscription: HubSubscription<unknown>): void {
    const topic = this.topics.get(key)
    if (topic === undefined) return
    topic.subscribers.delete(subscription)
    if (topic.subscribers.size === 0) this.topics.delete(key)
  }

  /** Stops reading; the caller closes the connection, which ends a blocked XREAD. */
  stop(): void {
    this.stopped = true
    this.topics.clear()
  }

  private isActive(): boolean {
    return !this.stopped && this.topics.size > 0
  }

  private kick(key: string): void {
    if (this.stopped) return
    if (!this.running) {
      this.running = true
      void this.loop()
    } else if (this.inFlight !== undefined && !this.inFlight.has(key) && !this.woken) {
      // One wake per XREAD, however many streams arrive meanwhile: the next one takes them all.
      this.woken = true
      this.options.wake().catch(this.options.onError)
    }
  }

  private async loop(): Promise<void> {
    const { connection, wakeKey, blockMs, count } = this.options
    let failures = 0
    while (this.isActive()) {
      const keys = [...this.topics.keys()]
      const ids = keys.map((key) => this.topics.get(key)?.cursor ?? '$')
      this.inFlight = new Set(keys)
      this.woken = false
      const args = ['XREAD', 'COUNT', String(count), 'BLOCK', String(blockMs), 'STREAMS']
      try {
        // The client's command timeout must not cut a read that is blocking on purpose.
        const reply = await connection.sendCommand([...args, ...keys, wakeKey, ...ids, this.wakeId], {
          timeout: blockMs + 10_000,
        })
        failures = 0
        this.dispatch(reply)
      } catch (error) {
        if (!this.isActive()) break // stopped while the read was under way
        // Lost connection, failover: node-redis reconnects; the cursors make the next read resume.
        this.options.onError(error)
        await sleep(Math.min(2000, 50 * 2 ** failures++))
      }
    }
    this.inFlight = undefined
    this.running = false
  }

  private dispatch(reply: unknown): void {
    for (const [key, entries] of toStreams(reply)) {
      if (key === this.options.wakeKey) {
        this.wakeId = entries.at(-1)?.id ?? this.wakeId
        continue
      }
      const topic = this.topics.get(key)
      if (topic !== undefined) for (const entry of entries) this.deliver(topic, entry)
    }
  }

  private deliver(topic: Topic, entry: RawEntry): void {
    if (compareIds(entry.id, topic.cursor) <= 0) return
    topic.cursor = entry.id
    const event = this.options.toEvent(entry)
    if (event === undefined) return
    // Who gets it is decided now; the pushes go out a slice per turn, so a broadcast to
    // thousands of local subscribers does not stall the loop.
    const targets: HubSubscription<unknown>[] = []
    for (const [subscription, has] of topic.subscribers) {
      if (has !== undefined) {
        if (compareIds(entry.id, has) <= 0) continue
        topic.subscribers.set(subscription, undefined)
      }
      targets.push(subscription)
    }
    fanOutQueue.run(targets, (subscription) => subscription.push(event))
  }
}
