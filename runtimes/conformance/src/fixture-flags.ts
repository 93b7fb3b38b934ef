import { parseArgs } from 'node:util'
import type { FixtureSettings } from './fixture-settings'

/** What a fixture command line says: which runtime, which port, which settings. */
export interface FixtureFlags {
  runtime: string
  port: number
  settings: FixtureSettings
}

/**
 * Parses `--runtime R --port N --heartbeat-ms N --max-duration-ms N --slow-consumer-ms N --max-streams N
 * --authenticate-ms N --cors`,
 * the flags of `npm run fixture` and of every out-of-process fixture entry. Throws on a bad value.
 */
export function parseFixtureFlags(args: string[]): FixtureFlags {
  const { values } = parseArgs({
    args,
    options: {
      runtime: { type: 'string', default: 'node' },
      port: { type: 'string', default: '0' },
      'heartbeat-ms': { type: 'string' },
      'max-duration-ms': { type: 'string' },
      'slow-consumer-ms': { type: 'string' },
      'max-streams': { type: 'string' },
      'authenticate-ms': { type: 'string' },
      cors: { type: 'boolean', default: false },
    },
  })
  const settings: FixtureSettings = {
    heartbeatMs: number('heartbeat-ms', values['heartbeat-ms']),
    maxDurationMs: number('max-duration-ms', values['max-duration-ms']),
    slowConsumerMs: number('slow-consumer-ms', values['slow-consumer-ms']),
    maxStreams: number('max-streams', values['max-streams']),
    authenticateMs: number('authenticate-ms', values['authenticate-ms']),
  }
  if (values.cors) settings.cors = true
  return { runtime: values.runtime, port: number('port', values.port) ?? 0, settings }
}

/** The flags that carry `settings` (the inverse of `parseFixtureFlags`). */
export function toFixtureFlags(settings: FixtureSettings): string[] {
  const flags: string[] = []
  const add = (flag: string, value: number | undefined): void => {
    if (value !== undefined) flags.push(`--${flag}`, String(value))
  }
  add('heartbeat-ms', settings.heartbeatMs)
  add('max-duration-ms', settings.maxDurationMs)
  add('slow-consumer-ms', settings.slowConsumerMs)
  add('max-streams', settings.maxStreams)
  add('authenticate-ms', settings.authenticateMs)
  if (settings.cors === true) flags.push('--cors')
  return flags
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new Error(`--${flag} must be a whole number >= 0, not "${value}"`)
  }
  return parsed
}
