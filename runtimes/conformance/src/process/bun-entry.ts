import { createFetchHandler } from '@sluice/fetch'
import { closeOnStdin, fixtureFromArgs } from './control'

// Typed structurally: the repo's types are Node's. https://bun.com/docs/api/http
declare const Bun: {
  serve(options: {
    port: number
    hostname: string
    idleTimeout: number
    fetch: (request: Request) => Promise<Response>
  }): { port: number; stop(closeActiveConnections?: boolean): Promise<void> }
}

// `bun bun-entry.ts [fixture flags]`: the fixture on Bun.serve.
const { app, port } = fixtureFromArgs()
// Bun closes a connection after `idleTimeout` seconds without bytes (default 10): a quiet
// stream whose heartbeat is longer would be cut. 0 turns it off; heartbeats keep proxies awake.
const server = Bun.serve({ port, hostname: '127.0.0.1', idleTimeout: 0, fetch: createFetchHandler(app) })
console.log(`listening on http://127.0.0.1:${server.port}`)
closeOnStdin(app, () => server.stop(true))
