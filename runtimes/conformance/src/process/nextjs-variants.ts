import { LEAKY_STREAMS } from '../suite-context'
import type { FixtureSettings } from '../fixture-settings'

/**
 * The fixture variants one Next.js build serves, each under its own first path segment
 * (`/heartbeat/count`): the conformance suite's servers, as settings a route can name.
 */
export const nextjsVariants = {
  main: {},
  heartbeat: { heartbeatMs: 100 },
  short: { maxDurationMs: 150 },
  slow: { slowConsumerMs: 300 },
  cors: { cors: true },
  leaky: { maxStreams: LEAKY_STREAMS, authenticateMs: 50 },
} satisfies Record<string, FixtureSettings>
