// `npm start`: the demo on one runtime (RUNTIME=node|express|fastify|uws, default node), at PORT
// (default 3000). The page, its script and the API share one server: no separate dev server.
import { buildAssets } from './assets'
import { createTrackerApp } from './app'
import { runtimeNames, serveDemo, type RuntimeName } from './serve-demo'

const runtime = process.env['RUNTIME'] ?? 'node'
if (!isRuntime(runtime)) {
  console.error(`RUNTIME must be one of ${runtimeNames.join(', ')}, not "${runtime}"`)
  process.exit(2)
}
const port = Number(process.env['PORT'] ?? 3000)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, not "${process.env['PORT'] ?? ''}"`)
  process.exit(2)
}
const host = process.env['HOST'] ?? '127.0.0.1'

const server = await serveDemo({ runtime, app: createTrackerApp(), assets: await buildAssets(), port, host })
console.log(`progress tracker on ${runtime}: ${server.url}`)

// Open streams keep the process alive; closing the server ends them (each job's `finally` runs).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
}

function isRuntime(name: string): name is RuntimeName {
  return (runtimeNames as readonly string[]).includes(name)
}
