import { createFixtureApp } from './fixture-app'
import { parseFixtureFlags, type FixtureFlags } from './fixture-flags'
import { toFixtureOptions } from './fixture-settings'
import { processRuntimes } from './process-runtimes'
import { runtimes, tlsRuntimes, type ServeApp } from './runtimes'

// `npm run fixture -- --runtime node [--port N] [--heartbeat-ms N] [--max-duration-ms N]
// [--slow-consumer-ms N] [--cors]`; bun, deno and workerd run in a process of their own.
const all: Record<string, ServeApp | undefined> = { ...runtimes, ...tlsRuntimes, ...processRuntimes }
let flags: FixtureFlags
try {
  flags = parseFixtureFlags(process.argv.slice(2))
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
const serveOn = all[flags.runtime]
if (serveOn === undefined) {
  console.error(`unknown runtime "${flags.runtime}"; one of: ${Object.keys(all).join(', ')}`)
  process.exit(2)
}

const running = await serveOn(createFixtureApp(toFixtureOptions(flags.settings)), flags.port)
console.log(`listening on ${running.url}`)

const stop = (): void => {
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
