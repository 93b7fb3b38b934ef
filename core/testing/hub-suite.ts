import { afterEach, describe, expect, it } from 'vitest'
import { EventEnvelope, isEventId } from '../src/stream/with-event'
import { fanOutQueue } from '../src/stream/turns'
import {
  HubEvent,
  ReplayGapError,
  SlowConsumerError,
  type EventHub,
  type Subscription,
} from '../src/hub/event-hub'

/** Limits a suite hub is created with. */
export interface HubLimits {
  historyPerTopic: number
  maxQueuedPerSubscriber: number
}

/** What the suite needs to know about a hub implementation. */
export interface HubSuiteOptions {
  /** A new hub with these limits; topics never shared with another hub the suite creates. */
  create: (limits: HubLimits) => Promise<EventHub>
  /** Publishes that surely trim a topic's first event with this history (Redis trims approximately). */
  publishesToTrim: (historyPerTopic: number) => number
}

/** Reads `count` events from a subscription. */
export async function take<T>(subscription: Subscription<T>, count: number): Promise<HubEvent<T>[]> {
  const events: HubEvent<T>[] = []
  while (events.length < count) {
    const step = await subscription.next()
    if (step.done === true)
      throw new Error(`the subscription ended after ${events.length} of ${count} events`)
    events.push(step.value)
  }
  return events
}

/** Publishes `count` values `{ n }` in order; resolves to their ids. */
export async function publishMany(hub: EventHub, topic: string, count: number, from = 0): Promise<string[]> {
  // One connection keeps call order, so these may be in flight together.
  return Promise.all(Array.from({ length: count }, (_, k) => hub.publish(topic, { n: from + k })))
}

const limits: HubLimits = { historyPerTopic: 1000, maxQueuedPerSubscriber: 1024 }
const numbers = (events: HubEvent<unknown>[]) => events.map((event) => (event.data as { n: number }).n)
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)

/** The one behaviour every `EventHub` must have; `describe`s it for one implementation. */
export function describeHubSuite(name: string, options: HubSuiteOptions): void {
  describe(`EventHub suite: ${name}`, () => {
    const hubs: EventHub[] = []
    const controllers: AbortController[] = []
    afterEach(async () => {
      for (const controller of controllers.splice(0)) controller.abort()
      await Promise.all(hubs.splice(0).map((hub) => hub.close()))
    })
    const create = async (overrides: Partial<HubLimits> = {}) => {
      const hub = await options.create({ ...limits, ...overrides })
      hubs.push(hub)
      return hub
    }
    const signal = () => {
      const controller = new AbortController()
      controllers.push(controller)
      return controller.signal
    }

    it('delivers what is published after subscribe, in order, as envelopes with the ids publish returned', async () => {
      const hub = await create()
      await hub.publish('orders', { n: -1 }) // before the subscription: not replayed
      const subscription = hub.subscribe('orders', { signal: signal() })
      const ids = await publishMany(hub, 'orders', 5)
      const events = await take(subscription, 5)
      expect(numbers(events)).toEqual(range(0, 5))
      expect(events.map((event) => event.id)).toEqual(ids)
      expect(new Set(ids).size).toBe(5)
      expect(events[0]).toBeInstanceOf(EventEnvelope)
      expect(events[0]?.fields).toEqual({ id: ids[0] })
      expect(events[0]?.reset).toBe(false)
      // A HubEvent skips withEvent's check: the hub's own ids must pass it to resume.
      expect(ids.filter((id) => !isEventId(id) || id === '')).toEqual([])
    })

    it('follows live: an event published while the reader waits reaches it', async () => {
      const hub = await create()
      const subscription = hub.subscribe('live', { signal: signal() })
      const waiting = subscription.next()
      const id = await hub.publish('live', { n: 1 })
      expect(await waiting).toMatchObject({ done: false, value: { id, data: { n: 1 } } })
      const again = subscription.next()
      await hub.publish('live', { n: 2 })
      expect(await again).toMatchObject({ done: false, value: { data: { n: 2 } } })
    })

    it('carries JSON: what a subscriber gets is the JSON round trip of what was published', async () => {
      const hub = await create()
      const subscription = hub.subscribe('json', { signal: signal() })
      await hub.publish('json', { at: new Date(0), gone: undefined, list: [1, 'two', null] })
      const [event] = await take(subscription, 1)
      expect(event?.data).toEqual({ at: '1970-01-01T00:00:00.000Z', list: [1, 'two', null] })
      await expect(hub.publish('json', undefined)).rejects.toThrow(TypeError)
      await expect(hub.publish('json', { big: 1n })).rejects.toThrow(TypeError)
      await expect(hub.publish('', 1)).rejects.toThrow(TypeError)
    })

    it('replays what came after lastEventId, then follows live', async () => {
      const hub = await create()
      const ids = await publishMany(hub, 'replay', 5)
      const subscription = hub.subscribe('replay', { signal: signal(), lastEventId: ids[1] })
      expect(numbers(await take(subscription, 3))).toEqual([2, 3, 4])
      await hub.publish('replay', { n: 5 })
      expect(numbers(await take(subscription, 1))).toEqual([5])
    })

    it('replays a long history in order, and from the latest id replays nothing', async () => {
      const hub = await create()
      const ids = await publishMany(hub, 'long', 600)
      const all = hub.subscribe('long', { signal: signal(), lastEventId: ids[0] })
      const events = await take(all, 599)
      expect(numbers(events)).toEqual(range(1, 600))
      expect(events.map((event) => event.id)).toEqual(ids.slice(1))
      const latest = hub.subscribe('long', { signal: signal(), lastEventId: ids.at(-1) })
      await hub.publish('long', { n: 600 })
      expect(numbers(await take(latest, 1))).toEqual([600])
      expect(numbers(await take(all, 1))).toEqual([600])
    })

    it('throws ReplayGapError (409 REPLAY_GAP) for an id older than the history, and releases it', async () => {
      const hub = await create({ historyPerTopic: 10 })
      const count = options.publishesToTrim(10)
      const ids = await publishMany(hub, 'gap', count)
      const stale = hub.subscribe('gap', { signal: signal(), lastEventId: ids[0] })
      const error: unknown = await stale.next().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ReplayGapError)
      expect(error).toMatchObject({ code: 'REPLAY_GAP', status: 409, lastEventId: ids[0] })
      expect(await stale.next()).toEqual({ done: true, value: undefined })
      expect(hub.stats().subscribers).toBe(0)
      // An id still kept resumes as usual.
      const recent = hub.subscribe('gap', { signal: signal(), lastEventId: ids.at(-2) })
      expect(numbers(await take(recent, 1))).toEqual([count - 1])
    })

    it('treats an id the topic never issued as a gap, and an empty id as none', async () => {
      const hub = await create()
      await publishMany(hub, 'unknown', 2)
      for (const lastEventId of ['nonsense', '1-2-3', '-1']) {
        const subscription = hub.subscribe('unknown', { signal: signal(), lastEventId })
        await expect(subscription.next()).rejects.toBeInstanceOf(ReplayGapError)
      }
      const fresh = hub.subscribe('unknown', { signal: signal(), lastEventId: '' })
      await hub.publish('unknown', { n: 2 })
      expect(numbers(await take(fresh, 1))).toEqual([2])
    })

    it('with onReset yields the reset value at the current position, then follows live; that id resumes', async () => {
      const hub = await create({ historyPerTopic: 10 })
      const ids = await publishMany(hub, 'reset', options.publishesToTrim(10))
      const onReset = () => ({ n: -1 })
      const subscription = hub.subscribe('reset', { signal: signal(), lastEventId: ids[0], onReset })
      const [reset] = await take(subscription, 1)
      expect(reset).toMatchObject({ reset: true, id: ids.at(-1), data: { n: -1 } })
      expect(reset !== undefined && reset.id !== '' && isEventId(reset.id)).toBe(true)
      const [nextId] = await publishMany(hub, 'reset', 1, 1000)
      const [live] = await take(subscription, 1)
      expect(live).toMatchObject({ reset: false, id: nextId, data: { n: 1000 } })
      const resumed = hub.subscribe('reset', { signal: signal(), lastEventId: reset?.id, onReset })
      expect(numbers(await take(resumed, 1))).toEqual([1000])
    })

    it('ends a waiting iterator when its signal aborts, and releases it', async () => {
      const hub = await create()
      const controller = new AbortController()
      const subscription = hub.subscribe('abort', { signal: controller.signal })
      const other = hub.subscribe('abort-other', { signal: signal() })
      expect(hub.stats()).toEqual({ topics: 2, subscribers: 2 })
      const waiting = subscription.next()
      controller.abort()
      expect(await waiting).toEqual({ done: true, value: undefined })
      expect(await subscription.next()).toEqual({ done: true, value: undefined })
      expect(hub.stats()).toEqual({ topics: 1, subscribers: 1 })
      await other.return()
      expect(hub.stats()).toEqual({ topics: 0, subscribers: 0 })
      // An already aborted signal gives an ended subscription that holds nothing.
      const late = hub.subscribe('abort', { signal: controller.signal })
      expect(await late.next()).toEqual({ done: true, value: undefined })
      expect(hub.stats().subscribers).toBe(0)
    })

    it('releases a subscription left with break, and the topic goes on for the others', async () => {
      const hub = await create()
      const stays = hub.subscribe('break', { signal: signal() })
      const leaves = hub.subscribe('break', { signal: signal() })
      await publishMany(hub, 'break', 3)
      for await (const event of leaves) if ((event.data as { n: number }).n === 1) break
      expect(hub.stats().subscribers).toBe(1)
      await publishMany(hub, 'break', 1, 3)
      expect(numbers(await take(stays, 4))).toEqual([0, 1, 2, 3])
    })

    it('gives every one of many subscribers every event, in order', async () => {
      const hub = await create()
      const subscriptions = Array.from({ length: 50 }, () => hub.subscribe('many', { signal: signal() }))
      await publishMany(hub, 'many', 20)
      const seen = await Promise.all(subscriptions.map((subscription) => take(subscription, 20)))
      for (const events of seen) expect(numbers(events)).toEqual(range(0, 20))
      expect(hub.stats()).toEqual({ topics: 1, subscribers: 50 })
    })

    it('hands a broadcast to more subscribers than one turn takes out in slices, each in order', async () => {
      const hub = await create()
      const count = fanOutQueue.perTurn * 2 + 10
      const subscriptions = Array.from({ length: count }, () => hub.subscribe('wide', { signal: signal() }))
      const reading = subscriptions.map((subscription) => take(subscription, 5))
      await publishMany(hub, 'wide', 5)
      // The last subscribers get theirs in a later turn than the first, and still all five in order.
      for (const events of await Promise.all(reading)) expect(numbers(events)).toEqual(range(0, 5))
    })

    it('ends a subscriber that falls behind with SlowConsumerError; one that keeps up goes on', async () => {
      const hub = await create({ maxQueuedPerSubscriber: 5 })
      const slow = hub.subscribe('slow', { signal: signal() })
      const fast = hub.subscribe('slow', { signal: signal() })
      // In step with the fast reader, so only the slow one ever has a queue.
      for (let n = 0; n < 8; n++) {
        const next = fast.next()
        await hub.publish('slow', { n })
        expect(await next).toMatchObject({ value: { data: { n } } })
      }
      const error: unknown = await slow.next().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SlowConsumerError)
      expect(error).toMatchObject({ code: 'SLOW_CONSUMER' })
      expect(await slow.next()).toEqual({ done: true, value: undefined })
      expect(hub.stats().subscribers).toBe(1)
    })

    it('keeps topics apart', async () => {
      const hub = await create()
      const a = hub.subscribe('topic-a', { signal: signal() })
      const b = hub.subscribe('topic-b', { signal: signal() })
      for (let n = 0; n < 3; n++) {
        await hub.publish('topic-a', { n })
        await hub.publish('topic-b', { n: n + 100 })
      }
      expect(numbers(await take(a, 3))).toEqual([0, 1, 2])
      expect(numbers(await take(b, 3))).toEqual([100, 101, 102])
    })

    it('ends every subscription when the hub closes', async () => {
      const hub = await create()
      const subscription = hub.subscribe('close', { signal: signal() })
      const waiting = subscription.next()
      await hub.close()
      expect(await waiting).toEqual({ done: true, value: undefined })
      expect(hub.stats().subscribers).toBe(0)
    })
  })
}
