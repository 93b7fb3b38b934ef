import type { FixtureOptions } from './fixture-app'
import { corsFixture } from './fixture-cors'

/** The fixture options a command line (or a workerd binding) can carry: plain numbers and a switch. */
export interface FixtureSettings {
  heartbeatMs?: number
  maxDurationMs?: number
  slowConsumerMs?: number
  /** `limits.maxStreams` (the suite's `leaky` fixture). */
  maxStreams?: number
  /** How long `authenticate` takes (the suite's `leaky` fixture). */
  authenticateMs?: number
  /** Serve with the suite's `corsFixture`. */
  cors?: boolean
}

/** The app options of a fixture started from settings. */
export function toFixtureOptions(settings: FixtureSettings): FixtureOptions {
  const { cors, ...sse } = settings
  return cors === true ? { ...sse, cors: corsFixture } : sse
}

/** The settings that start the same fixture in another process; refuses what they cannot carry. */
export function toFixtureSettings(options: FixtureOptions): FixtureSettings {
  const { heartbeatMs, maxDurationMs, slowConsumerMs, maxStreams, authenticateMs, cors, ...rest } = options
  const extra = Object.keys(rest).filter((key) => rest[key as keyof typeof rest] !== undefined)
  if (extra.length > 0 || (cors !== undefined && cors !== corsFixture)) {
    throw new Error(
      `a fixture in another process takes only numbers and corsFixture, not: ${extra.join(', ')}`,
    )
  }
  const settings: FixtureSettings = { heartbeatMs, maxDurationMs, slowConsumerMs, maxStreams, authenticateMs }
  if (cors !== undefined) settings.cors = true
  return settings
}
