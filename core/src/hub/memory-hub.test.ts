import { afterEach, describe, expect, it, vi } from 'vitest'
import { ReplayGapError } from './event-hub'
import { describeHubSuite, publishMany, take } from '../../testing/hub-suite'
import { createMemoryHub } from './memory-hub'

describeHubSuite('memory', {
  create: (limits) => Promise.resolve(createMemoryHub(limits)),
  publishesToTrim: (history) => history + 2,
})

describe('createMemoryHub', () => {
  const controller = new AbortController()
  const { signal } = controller
  afterEach(() => {
    vi.useRealTimers()
  })

  it('numbers ids after a random epoch, and keeps exactly historyPerTopic events', async () => {
    const hub = createMemoryHub({ historyPerTopic: 3 })
    const ids = await publishMany(hub, 't', 5)
    const epoch = ids[0]?.split('-')[0]
    expect(epoch).toMatch(/^[0-9a-z]{6}$/)
    expect(ids).toEqual([1, 2, 3, 4, 5].map((n) => `${epoch}-${n}`))
    expect(await hub.publish('other', 1)).toBe(`${epoch}-6`)
    // 3 kept: after id 2 all of 3..5 are there; after id 1, 2 is gone.
    expect((await take(hub.subscribe('t', { signal, lastEventId: ids[1] }), 3)).map((e) => e.id)).toEqual(
      ids.slice(2),
    )
    await expect(hub.subscribe('t', { signal, lastEventId: ids[0] }).next()).rejects.toBeInstanceOf(
      ReplayGapError,
    )
  })

  it('reports an id from before a restart (another hub) as a gap instead of resuming at its number', async () => {
    const before = createMemoryHub()
    const [old] = await publishMany(before, 't', 1)
    const after = createMemoryHub()
    await publishMany(after, 't', 3)
    await expect(after.subscribe('t', { signal, lastEventId: old }).next()).rejects.toBeInstanceOf(
      ReplayGapError,
    )
  })

  it('reports an id from before a forgotten topic came back as a gap', async () => {
    vi.useFakeTimers({ now: 0 })
    const hub = createMemoryHub({ topicTtlMs: 1000 })
    const [old] = await publishMany(hub, 'comes-back', 2)
    vi.setSystemTime(1500)
    await publishMany(hub, 'comes-back', 5) // forgotten, then published to afresh
    await expect(hub.subscribe('comes-back', { signal, lastEventId: old }).next()).rejects.toBeInstanceOf(
      ReplayGapError,
    )
  })

  it('forgets a topic nobody published to within topicTtlMs, unless it has subscribers', async () => {
    vi.useFakeTimers({ now: 0 })
    const hub = createMemoryHub({ topicTtlMs: 1000 })
    const [quiet] = await publishMany(hub, 'quiet', 1)
    const [watched] = await publishMany(hub, 'watched', 1)
    const watcher = hub.subscribe('watched', { signal })
    vi.setSystemTime(1500)
    await hub.publish('fresh', 1) // a publish sweeps what went stale
    await expect(hub.subscribe('quiet', { signal, lastEventId: quiet }).next()).rejects.toBeInstanceOf(
      ReplayGapError,
    )
    const resumed = hub.subscribe('watched', { signal, lastEventId: watched })
    await hub.publish('watched', { n: 1 })
    expect((await take(resumed, 1))[0]?.data).toEqual({ n: 1 })
    await watcher.return()
  })

  it('refuses to publish once closed', async () => {
    const hub = createMemoryHub()
    await hub.close()
    await expect(hub.publish('t', 1)).rejects.toThrow(/closed/)
    expect(await hub.subscribe('t', { signal }).next()).toEqual({ done: true, value: undefined })
  })
})
