import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createStarterApp } from '../src/app'
import { createClient, type Client } from '../src/client.gen'
import { EventHub } from '../src/hub'
import { createMetricsSource } from '../src/metrics'
import type { Notification } from '../src/notifications'
import { startServer, type Running } from '../src/server'

const intervalMs = 20
const metrics = createMetricsSource()
const hub = new EventHub<Notification>()
let server: Running
const connect = (token?: string, options: { wait?: () => Promise<void> } = {}): Client =>
  createClient({
    baseUrl: server.url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retry: { wait: options.wait },
  })

beforeAll(async () => {
  const app = createStarterApp({ metrics, hub, metricsIntervalMs: intervalMs, metricsMaxDurationMs: 150 })
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
  it('streams the signed-in user their own notifications, and unsubscribes when they leave', async () => {
    const alice = connect('alice-token')
    const bob = connect('bob-token')
    const send = async () => {
      await vi.waitFor(() => expect(hub.subscribers('alice')).toBe(1))
      expect(await bob.notify({ to: 'alice', text: 'build is green' })).toEqual({ delivered: 1 })
      await bob.notify({ to: 'alice', text: 'deploying' })
    }
    const sending = send()
    const received: Notification[] = []
    for await (const notification of alice.notifications()) {
      received.push(notification)
      if (received.length === 2) break
    }
    await sending
    expect(received.map(({ from, text }) => ({ from, text }))).toEqual([
      { from: 'bob', text: 'build is green' },
      { from: 'bob', text: 'deploying' },
    ])
    // Leaving aborts the function's signal, which ends the hub subscription in its `finally`.
    await vi.waitFor(() => expect(hub.subscribers('alice')).toBe(0))
    expect(await bob.notify({ to: 'alice', text: 'anyone?' })).toEqual({ delivered: 0 })
  })

  it('refuses a client without a valid token with a 401', async () => {
    const error = await connect('forged')
      .notifications()
      .result.catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
  })
})
