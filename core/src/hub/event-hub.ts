import { WireError } from '../errors/wire-error'
import { EventEnvelope } from '../stream/with-event'

/**
 * Topic name -> data type. `createMemoryHub<{ [topic: `build:${string}`]: BuildEvent }>()`
 * types every publish and subscription; the default leaves data `unknown`.
 */
export type TopicMap = Record<string, unknown>

/** Options of `EventHub.subscribe`. */
export interface SubscribeOptions<T> {
  /** Ends the subscription (the iterator returns) when it aborts: pass the function's `ctx.signal`. */
  signal: AbortSignal
  /** Replay what was published after this id first (the client's `Last-Event-ID`). */
  lastEventId?: string | undefined
  /**
   * What to yield, in place of the events that are gone, when `lastEventId` is too old (or
   * unknown) to replay: a snapshot or a "reset" value. The subscription then follows live.
   * Without it, the first step throws a `ReplayGapError`.
   */
  onReset?: () => T | Promise<T>
}

/** What a hub holds at the moment, for metrics and tests. */
export interface HubStats {
  /** Topics with at least one subscriber in this process. */
  topics: number
  /** Subscriptions open in this process. */
  subscribers: number
}

/**
 * One published value as a subscriber sees it. It IS an `EventEnvelope` carrying the hub's
 * id, so `yield* hub.subscribe(...)` in a generator (or `channel.send(event)`) puts the id on
 * the wire and a client reconnects with it as `Last-Event-ID`.
 */
export class HubEvent<T> extends EventEnvelope<T> {
  /** True for the one event built by `onReset` after a replay gap; its id is the position it resets to. */
  readonly reset: boolean

  constructor(
    /** The event id: monotonically increasing within a topic. */
    readonly id: string,
    data: T,
    reset = false,
  ) {
    super({ id }, data)
    this.reset = reset
  }
}

/** An open subscription: an async generator of events that ends when its signal aborts. */
export type Subscription<T> = AsyncGenerator<HubEvent<T>, void, undefined>

/**
 * Publish/subscribe by topic with replay after an id. The in-memory hub (`createMemoryHub`)
 * serves one process; `@sluice/redis` gives every process the same topics.
 */
export interface EventHub<M extends TopicMap = TopicMap> {
  /** Publishes `data` (a JSON value) to `topic`; resolves to its id once it is stored. */
  publish<K extends keyof M & string>(topic: K, data: M[K]): Promise<string>
  /**
   * Subscribes at once (a publish after this call is never missed): replays what came after
   * `lastEventId`, then follows live until `signal` aborts or the iterator is returned.
   * Throws `ReplayGapError` (first step) when the id is too old and there is no `onReset`, and
   * `SlowConsumerError` when more than the hub's queue limit waited unread.
   */
  subscribe<K extends keyof M & string>(topic: K, options: SubscribeOptions<M[K]>): Subscription<M[K]>
  stats(): HubStats
  /** Ends every subscription and releases the hub's resources (connections, timers). */
  close(): Promise<void>
}

/**
 * `lastEventId` cannot be resumed: events after it were trimmed or expired, or the id is not
 * one of the topic's (another hub, a restart). Before the first byte it answers 409
 * `REPLAY_GAP`, so a client knows to start over without `Last-Event-ID`.
 */
export class ReplayGapError extends WireError {
  constructor(
    /** The id that could not be resumed. */
    readonly lastEventId: string,
  ) {
    super('REPLAY_GAP', 'The events after Last-Event-ID are no longer available; start over', {
      status: 409,
    })
    this.name = 'ReplayGapError'
  }
}

/**
 * The subscriber did not keep up: more than `maxQueuedPerSubscriber` events waited unread.
 * As with a stream's channel, the subscription ends rather than silently skip events; the
 * client resumes from its last id.
 */
export class SlowConsumerError extends WireError {
  constructor(readonly limit: number) {
    super('SLOW_CONSUMER', `The subscriber fell more than ${limit} events behind`)
    this.name = 'SlowConsumerError'
  }
}

/** Serialises a published value once, refusing what JSON cannot carry (as Redis would). */
export function encodeHubData(data: unknown): string {
  const text = JSON.stringify(data) as string | undefined
  if (text === undefined)
    throw new TypeError('sluice: a hub publishes JSON values, not undefined or functions')
  return text
}

/** Checks a topic name: a non-empty string. */
export function checkTopic(topic: string): void {
  if (typeof topic !== 'string' || topic === '') throw new TypeError('sluice: a topic is a non-empty string')
}
