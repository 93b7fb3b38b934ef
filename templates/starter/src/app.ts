import { createApp, wireHTTP, type App } from '@sluice/core'
import { createBuilds } from './builds'
import { createLiveMetrics, createMetricsSource, type MetricsSource } from './metrics'
import { createNotificationHub, createNotifications, type NotificationHub, type User } from './notifications'
import { createStatus } from './status'

/** Timings and dependencies of the starter app; the defaults suit `npm start`, tests shorten them. */
export interface StarterOptions {
  /** Delay between the status route's updates. Default 1000 ms. */
  statusDelayMs?: number
  /** How long a simulated build takes. Default 10 s. */
  buildDurationMs?: number
  /** Live metrics interval. Default 1000 ms. */
  metricsIntervalMs?: number
  /** How long one live metrics stream lasts before the client reconnects. Default 60 s. */
  metricsMaxDurationMs?: number
  metrics?: MetricsSource
  /** Where notifications go. Default: a new in-memory hub. */
  hub?: NotificationHub
  /** Bearer tokens and the user each one signs in. Default: `alice-token`, `bob-token`. */
  tokens?: Record<string, string>
}

/** The starter: a plain route, streams from generators, and progressive routes with a `channel`. */
export function createStarterApp(options: StarterOptions = {}): App {
  const tokens = new Map(Object.entries(options.tokens ?? { 'alice-token': 'alice', 'bob-token': 'bob' }))
  const app = createApp({
    // Runs on every request; `auth: true` routes answer 401 when it returns undefined.
    authenticate: ({ headers }): User | undefined => {
      const id = tokens.get(headers['authorization']?.replace(/^Bearer /, '') ?? '')
      return id === undefined ? undefined : { id }
    },
  })

  const { startBuild, watchBuild } = createBuilds(options.buildDurationMs ?? 10_000)
  wireHTTP(app, { method: 'post', route: '/builds', name: 'startBuild', func: startBuild })
  wireHTTP(app, { method: 'get', route: '/builds/:buildId/watch', name: 'watchBuild', func: watchBuild })

  const status = createStatus(options.statusDelayMs ?? 1000)
  wireHTTP(app, { method: 'get', route: '/status', func: status, sse: true })

  const metrics = createLiveMetrics(
    options.metrics ?? createMetricsSource(),
    options.metricsIntervalMs ?? 1000,
  )
  wireHTTP(app, {
    method: 'get',
    route: '/metrics/live',
    name: 'liveMetrics',
    func: metrics,
    sse: true,
    // Ends each stream without `done`: the client reconnects, and the new feed starts fresh.
    stream: { maxDurationMs: options.metricsMaxDurationMs ?? 60_000 },
  })

  const { notifications, notify } = createNotifications(options.hub ?? createNotificationHub())
  wireHTTP(app, {
    method: 'get',
    route: '/notifications',
    name: 'notifications',
    func: notifications,
    auth: true,
  })
  wireHTTP(app, { method: 'post', route: '/notifications', name: 'notify', func: notify, auth: true })

  return app
}

/** The app `npm start` serves and `npm run client` generates the client from. */
export const app = createStarterApp()
