import { parseArgs } from 'node:util'
import { createFixtureApp } from './fixture-app'
import { runtimes, type ServeApp } from './runtimes'

// `npm run fixture -- --runtime node [--port N] [--heartbeat-ms N] [--max-duration-ms N]`
const { values } = parseArgs({
  options: {
    runtime: { type: 'string', default: 'node' },
    port: { type: 'string', default: '0' },
    'heartbeat-ms': { type: 'string' },
    'max-duration-ms': { type: 'string' },
  },
})

const serveOn = (runtimes as Record<string, ServeApp | undefined>)[values.runtime]
if (serveOn === undefined) {
  console.error(`unknown runtime "${values.runtime}"; one of: ${Object.keys(runtimes).join(', ')}`)
  process.exit(2)
}
const number = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    console.error(`--${flag} must be a whole number >= 0, not "${value}"`)
    process.exit(2)
  }
  return parsed
}

const app = createFixtureApp({
  heartbeatMs: number('heartbeat-ms', values['heartbeat-ms']),
  maxDurationMs: number('max-duration-ms', values['max-duration-ms']),
})
const running = await serveOn(app, number('port', values.port) ?? 0)
console.log(`listening on ${running.url}`)

const stop = (): void => {
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
