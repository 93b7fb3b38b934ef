import {
  checkTopic,
  HubEvent,
  ReplayGapError,
  encodeHubData,
  type EventHub,
  type HubStats,
  type SubscribeOptions,
  type TopicMap,
} from './event-hub'
import { HubSubscription, type ReplaySource } from './subscription'
import { fanOutQueue } from '../stream/turns'

/** Options of `createMemoryHub`. */
export interface MemoryHubOptions {
  /** Events kept per topic for replay after `Last-Event-ID`. Default 1000. */
  historyPerTopic?: number
  /** Live events one subscriber may leave unread before it ends with `SlowConsumerError`. Default 1024. */
  maxQueuedPerSubscriber?: number
  /** A topic nobody published to or watched for this long is forgotten, history and all. Default 1 hour. */
  topicTtlMs?: number
}

/** The defaults both hubs use. */
export const hubDefaults = {
  historyPerTopic: 1000,
  maxQueuedPerSubscriber: 1024,
  topicTtlMs: 60 * 60 * 1000,
} as const

interface Topic {
  /** Events of this topic up to this number may be gone (trimmed, or before the topic existed). */
  floor: number
  history: { seq: number; event: HubEvent<unknown> }[]
  subscribers: Set<HubSubscription<unknown>>
  publishedAt: number
}

/**
 * The in-memory hub: one process, bounded history per topic, bounded per-subscriber queues.
 * Ids are `<epoch>-<n>`, n counting every publish of the hub; the epoch is random per hub, so
 * an id from before a restart is a replay gap instead of resuming at the wrong place, and so is
 * one from before a forgotten topic came back. Gap detection is exact.
 * Data is stored as its JSON round trip (what a Redis hub would give), shared by subscribers.
 */
export function createMemoryHub<M extends TopicMap = TopicMap>(options: MemoryHubOptions = {}): EventHub<M> {
  const historyPerTopic = options.historyPerTopic ?? hubDefaults.historyPerTopic
  const maxQueued = options.maxQueuedPerSubscriber ?? hubDefaults.maxQueuedPerSubscriber
  const ttl = options.topicTtlMs ?? hubDefaults.topicTtlMs
  const epoch = Math.random().toString(36).slice(2, 8).padEnd(6, '0')
  // Least recently published first (a publish moves its topic to the end), so sweeping stale
  // topics only ever looks at the front of the map.
  const topics = new Map<string, Topic>()
  const open = new Set<HubSubscription<unknown>>()
  let seq = 0
  let closed = false

  const topicOf = (name: string): Topic => {
    let topic = topics.get(name)
    if (topic === undefined) {
      topic = { floor: seq, history: [], subscribers: new Set(), publishedAt: Date.now() }
      topics.set(name, topic)
    }
    return topic
  }

  // A stale topic someone still watches goes to the back (its clock restarted), so quiet watched
  // topics are not looked at again on every publish.
  const sweep = (now: number): void => {
    for (const [name, topic] of topics) {
      if (now - topic.publishedAt < ttl) return
      topics.delete(name)
      if (topic.subscribers.size > 0) {
        topic.publishedAt = now
        topics.set(name, topic)
      }
    }
  }

  // Async, so a bad topic or value rejects like a failed Redis write would, rather than throw.
  const publish = async (name: string, data: unknown): Promise<string> => publishNow(name, data)

  const publishNow = (name: string, data: unknown): string => {
    checkTopic(name)
    if (closed) throw new Error('sluice: the hub is closed')
    const value: unknown = JSON.parse(encodeHubData(data))
    const now = Date.now()
    sweep(now)
    const topic = topicOf(name)
    topics.delete(name)
    topics.set(name, topic)
    topic.publishedAt = now
    const event = new HubEvent(`${epoch}-${++seq}`, value)
    topic.history.push({ seq, event })
    if (topic.history.length > historyPerTopic) topic.floor = topic.history.shift()?.seq ?? seq
    // A slice of subscribers a turn, so a broadcast to thousands does not stall the loop.
    if (topic.subscribers.size > 0) fanOutQueue.run([...topic.subscribers], (each) => each.push(event))
    return event.id
  }

  const subscribe = (name: string, { signal, lastEventId, onReset }: SubscribeOptions<unknown>) => {
    checkTopic(name)
    sweep(Date.now())
    const topic = topicOf(name)
    // An empty id is no id, as in the SSE spec (a client sends none before its first id).
    const replay =
      lastEventId === undefined || lastEventId === '' ? undefined : toReplay(topic, lastEventId, onReset)
    const subscription: HubSubscription<unknown> = new HubSubscription({
      signal,
      maxQueued,
      replay,
      release: () => {
        topic.subscribers.delete(subscription)
        open.delete(subscription)
      },
    })
    if (closed) void subscription.return()
    if (subscription.open) {
      topic.subscribers.add(subscription)
      open.add(subscription)
    }
    return subscription
  }

  // What a subscriber that saw `lastEventId` missed: a slice of history taken now (live events
  // follow it), or a reset when the id is not one this topic can resume from.
  const toReplay = (
    topic: Topic,
    lastEventId: string,
    onReset: SubscribeOptions<unknown>['onReset'],
  ): ReplaySource<unknown> => {
    const after = toSeq(epoch, lastEventId)
    if (after !== undefined && after >= topic.floor && after <= seq) {
      const { history } = topic
      const page = history.slice(firstAfter(history, after)).map((entry) => entry.event)
      return once(() => Promise.resolve(page))
    }
    if (onReset === undefined) return () => Promise.reject(new ReplayGapError(lastEventId))
    // The position is now; the snapshot is taken when read, so it is never older than it.
    const position = `${epoch}-${seq}`
    return once(async () => [new HubEvent(position, await onReset(), true)])
  }

  const stats = (): HubStats => {
    let active = 0
    for (const topic of topics.values()) if (topic.subscribers.size > 0) active++
    return { topics: active, subscribers: open.size }
  }

  const close = (): Promise<void> => {
    closed = true
    for (const subscription of [...open]) void subscription.return()
    topics.clear()
    return Promise.resolve()
  }

  // Inside, data is `unknown`; the topic map types the hub at its interface.
  return { publish, subscribe, stats, close } as unknown as EventHub<M>
}

function toSeq(epoch: string, id: string): number | undefined {
  const match = /^([0-9a-z]+)-(\d{1,15})$/.exec(id)
  if (match?.[1] !== epoch || match[2] === undefined) return undefined
  return Number(match[2])
}

// The index of the first entry numbered after `seq` (entries are in order).
function firstAfter(history: readonly { seq: number }[], seq: number): number {
  let low = 0
  let high = history.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((history[middle]?.seq ?? Infinity) <= seq) low = middle + 1
    else high = middle
  }
  return low
}

// A replay source that gives one page, then says it is done.
function once<T>(page: () => Promise<readonly HubEvent<T>[]>): ReplaySource<T> {
  let given = false
  return () => {
    if (given) return Promise.resolve(undefined)
    given = true
    return page()
  }
}
