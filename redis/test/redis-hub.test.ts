import { randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { createClient } from '@redis/client'
import { ReplayGapError, type EventHub } from '@sluice/core'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { describeHubSuite, publishMany, take } from '@sluice/core/testing'
import { createRedisHub, type RedisHubOptions } from '../src/index'
import { INSTALL_TIMEOUT_MS, startRedisServer, type RedisServer } from './redis-server'

let server: RedisServer | undefined
let admin: ReturnType<typeof createClient>
const errors: unknown[] = []

beforeAll(async () => {
  server = await startRedisServer()
  admin = createClient({ url: server.url, RESP: 2 })
  await admin.connect()
}, INSTALL_TIMEOUT_MS)
afterAll(async () => {
  admin.destroy()
  await server?.stop()
})

function hubOptions(options: RedisHubOptions = {}): RedisHubOptions & { keyPrefix: string } {
  return {
    url: server?.url,
    keyPrefix: `test:${randomUUID()}:`,
    onError: (error) => errors.push(error),
    ...options,
  }
}

describeHubSuite('redis', {
  create: (limits) => createRedisHub(hubOptions(limits)),
  // MAXLEN ~ trims whole radix-tree nodes (100 entries by default), keeping at least N.
  publishesToTrim: (history) => history + 300,
})

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** The connections the server has besides the admin's, by their last command. */
async function connections(): Promise<string[]> {
  const list = await admin.sendCommand<string>(['CLIENT', 'LIST'])
  return list
    .trim()
    .split('\n')
    .filter((line) => !line.includes('cmd=client|list'))
    .map((line) => /cmd=(\S+)/.exec(line)?.[1] ?? '?')
}

describe('createRedisHub', () => {
  const hubs: EventHub[] = []
  const controller = new AbortController()
  const { signal } = controller
  setMaxListeners(0, signal) // shared by every subscription of these tests; a server has one per request
  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((hub) => hub.close()))
  })
  afterAll(() => {
    controller.abort()
    expect(errors).toEqual([])
  })
  const create = async (options: RedisHubOptions = {}) => {
    const settings = hubOptions(options)
    const hub = await createRedisHub(settings)
    hubs.push(hub)
    return { hub, key: (topic: string) => `${settings.keyPrefix}topic:${topic}` }
  }

  it('uses the stream ids as event ids, and caps each stream near historyPerTopic', async () => {
    const { hub, key } = await create({ historyPerTopic: 10 })
    const ids = await publishMany(hub, 't', 350)
    const entries = await admin.sendCommand<[string, string[]][]>(['XRANGE', key('t'), '-', '+'])
    expect(entries.at(-1)).toEqual([ids.at(-1), ['d', '{"n":349}']])
    expect(entries.length).toBeGreaterThanOrEqual(10)
    expect(entries.length).toBeLessThan(200)
    expect(Number(await admin.sendCommand(['PTTL', key('t')]))).toBeGreaterThan(0)
  })

  it('holds two connections however many subscribers and topics: one XREAD reads them all', async () => {
    await vi.waitFor(async () => expect(await connections()).toEqual([])) // earlier hubs are gone
    const { hub } = await create()
    const topics = ['a', 'b', 'c', 'd', 'e', 'f']
    const subscriptions = topics.flatMap((topic) =>
      Array.from({ length: 5 }, () => ({ topic, subscription: hub.subscribe(topic, { signal }) })),
    )
    for (const topic of topics) await hub.publish(topic, { n: topic })
    for (const { topic, subscription } of subscriptions) {
      expect((await take(subscription, 1))[0]?.data).toEqual({ n: topic })
    }
    const after = await connections()
    expect(after).toHaveLength(2)
    expect(after.filter((command) => command === 'xread')).toHaveLength(1)
    expect(hub.stats()).toEqual({ topics: 6, subscribers: 30 })
  })

  it('wakes a blocked XREAD when a new topic is subscribed, instead of waiting out BLOCK', async () => {
    const { hub } = await create({ blockMs: 600_000 }) // without the wake this test would time out
    const first = hub.subscribe('first', { signal })
    await hub.publish('first', 1)
    await take(first, 1)
    await vi.waitFor(async () => expect(await connections()).toContain('xread'))
    const second = hub.subscribe('second', { signal })
    await hub.publish('second', 2)
    expect((await take(second, 1))[0]?.data).toBe(2)
  })

  it('catches a subscriber up to a topic already being read, then follows live with the others', async () => {
    const { hub } = await create()
    const live = hub.subscribe('shared', { signal })
    const ids = await publishMany(hub, 'shared', 5)
    await take(live, 5)
    const late = hub.subscribe('shared', { signal, lastEventId: ids[1] })
    expect((await take(late, 3)).map((event) => event.id)).toEqual(ids.slice(2))
    const [next] = await publishMany(hub, 'shared', 1, 5)
    expect((await take(late, 1))[0]?.id).toBe(next)
    expect((await take(live, 1))[0]?.id).toBe(next)
  })

  it('reports entries trimmed while a subscriber was catching up as a gap, never skips them', async () => {
    const { hub } = await create({ historyPerTopic: 10 })
    const live = hub.subscribe('trim', { signal })
    const ids = await publishMany(hub, 'trim', 5)
    await take(live, 5)
    const late = hub.subscribe('trim', { signal, lastEventId: ids[0] })
    const resetting = hub.subscribe('trim', { signal, lastEventId: ids[0], onReset: () => 'reset' })
    await hub.publish('other', 0) // its answer comes after both positions: both are registered
    await publishMany(hub, 'trim', 400, 5) // trims past ids[0] before either reads
    await expect(late.next()).rejects.toBeInstanceOf(ReplayGapError)
    const [reset, first] = await take(resetting, 2)
    expect(reset).toMatchObject({ reset: true, data: 'reset', id: ids.at(-1) })
    expect(first?.data).toEqual({ n: 5 })
  })

  it('resumes after its blocking connection is killed, without losing what was published meanwhile', async () => {
    const { hub } = await create()
    const subscription = hub.subscribe('resume', { signal })
    await hub.publish('resume', { n: 0 })
    await take(subscription, 1)
    const list = await admin.sendCommand<string>(['CLIENT', 'LIST'])
    const id = /id=(\d+)[^\n]*cmd=xread/.exec(list)?.[1]
    expect(id).toBeDefined()
    await admin.sendCommand(['CLIENT', 'KILL', 'ID', id ?? ''])
    await publishMany(hub, 'resume', 3, 1)
    expect((await take(subscription, 3)).map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    expect(errors.length).toBeGreaterThan(0) // the lost connection was reported
    errors.length = 0
  })

  it('rejects at once when Redis cannot be reached, instead of retrying forever', async () => {
    const port = await closedPort()
    const seen: unknown[] = []
    const error: unknown = await createRedisHub({
      url: `redis://127.0.0.1:${port}`,
      onError: (e) => seen.push(e),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/ECONNREFUSED/)
  })

  it('closes both connections and removes its wake stream', async () => {
    await vi.waitFor(async () => expect(await connections()).toEqual([]))
    const { hub } = await create()
    const subscription = hub.subscribe('bye', { signal })
    await hub.publish('bye', 1)
    await take(subscription, 1)
    await hub.close()
    expect(await subscription.next()).toEqual({ done: true, value: undefined })
    await vi.waitFor(async () => expect(await connections()).toEqual([]))
    expect(await admin.sendCommand(['KEYS', '*wake*'])).toEqual([])
  })
})
