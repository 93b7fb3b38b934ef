import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createStarterApp } from '../src/app'
import { createClient, type Client } from '../src/client.gen'
import { createMetricsSource } from '../src/metrics'
import { createNotificationHub, type Notification } from '../src/notifications'
import { startServer } from '../src/server'

const intervalMs = 20
const metrics = createMetricsSource()
const hub = createNotificationHub()
let server: Awaited<ReturnType<typeof startServer>>
const connect = (token?: string, options: { wait?: () => Promise<void> } = {}): Client =>
  createClient({
    baseUrl: server.url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retry: { wait: options.wait },
  })

beforeAll(async () => {
  const app = createStarterApp({ metrics, hub, metricsIntervalMs: intervalMs, metricsMaxDurationMs: 500 })
  server = await startServer(app, { port: 0 })
})
afterAll(() => server.close())

describe('live metrics', () => {
  it('streams a sample at once and then every interval, until maxDurationMs ends the feed', async () => {
    // The server ends the stream without `done`, so the client wants to reconnect: stop it there.
    const stop = new AbortController()
    let reconnects = 0
    const client = connect(undefined, {
      wait: () => {
        reconnects++
        stop.abort()
        return Promise.resolve()
      },
    })
    const samples: number[] = []
    const ended = await (async () => {
      for await (const sample of client.liveMetrics.stream(undefined, { signal: stop.signal })) {
        samples.push(sample.rssBytes)
      }
    })().catch((error: unknown) => error)
    expect(ended).toMatchObject({ code: 'CANCELLED' })
    expect(reconnects).toBe(1)
    expect(samples.length).toBeGreaterThan(2)

    // The feed's interval is cleared: no sample is taken after the stream ended.
    const taken = metrics.taken
    await sleep(intervalMs * 5)
    expect(metrics.taken).toBe(taken)
  })

  it('answers one sample as JSON to a plain call', async () => {
    const sample = await connect().liveMetrics()
    expect(Object.keys(sample).sort()).toEqual(['at', 'heapUsedBytes', 'rssBytes'])
    expect(sample.rssBytes).toBeGreaterThan(sample.heapUsedBytes)
  })
})

describe('notifications', () => {
  const texts = (received: Notification[]) => received.map(({ from, text }) => ({ from, text }))

  it('streams the signed-in user their own notifications, and unsubscribes when they leave', async () => {
    const alice = connect('alice-token')
    const bob = connect('bob-token')
    const send = async () => {
      await vi.waitFor(() => expect(hub.stats().subscribers).toBe(1))
      await bob.notify({ to: 'alice', text: 'build is green' })
      await bob.notify({ to: 'bob', text: 'note to self' }) // another user's topic: alice never sees it
      await bob.notify({ to: 'alice', text: 'deploying' })
    }
    const sending = send()
    const received: Notification[] = []
    for await (const notification of alice.notifications()) {
      received.push(notification)
      if (received.length === 2) break
    }
    await sending
    expect(texts(received)).toEqual([
      { from: 'bob', text: 'build is green' },
      { from: 'bob', text: 'deploying' },
    ])
    // Leaving aborts the function's signal, which ends the hub subscription.
    await vi.waitFor(() => expect(hub.stats().subscribers).toBe(0))
  })

  it('gives a user who reconnects with Last-Event-ID what they missed, then live ones', async () => {
    const alice = connect('alice-token')
    const bob = connect('bob-token')
    const first = alice.notifications()
    const sending = (async () => {
      await vi.waitFor(() => expect(hub.stats().subscribers).toBe(1))
      await bob.notify({ to: 'alice', text: 'one' })
    })()
    for await (const _ of first) break
    await sending
    await vi.waitFor(() => expect(hub.stats().subscribers).toBe(0))
    await bob.notify({ to: 'alice', text: 'two (while away)' })

    const received: Notification[] = []
    // Bounded: a stream that never replays would otherwise wait here for the test's timeout.
    const signal = AbortSignal.timeout(5_000)
    const resumed = alice.notifications(undefined, { lastEventId: first.lastEventId, signal })
    await (async () => {
      for await (const notification of resumed) {
        received.push(notification)
        if (received.length === 1) await bob.notify({ to: 'alice', text: 'three (live)' })
        if (received.length === 2) break
      }
    })().catch((error: unknown) => expect(error).toMatchObject({ code: 'CANCELLED' }))
    expect(received.map(({ text }) => text)).toEqual(['two (while away)', 'three (live)'])
  })

  it('refuses a client without a valid token with a 401', async () => {
    const error = await connect('forged')
      .notifications()
      .result.catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
  })
})
