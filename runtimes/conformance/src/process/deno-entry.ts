import { createFetchHandler } from '@sluice/fetch'
import { closeOnStdin, fixtureFromArgs } from './control'

// Typed structurally: the repo's types are Node's. https://docs.deno.com/api/deno/~/Deno.serve
declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): { shutdown(): Promise<void> }
}

// `deno run --sloppy-imports deno-entry.ts [fixture flags]`: the fixture on Deno.serve.
const { app, port } = fixtureFromArgs()
const server = Deno.serve(
  {
    port,
    hostname: '127.0.0.1',
    onListen: (address) => console.log(`listening on http://127.0.0.1:${address.port}`),
  },
  createFetchHandler(app),
)
closeOnStdin(app, () => server.shutdown())
