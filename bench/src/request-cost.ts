// Dev aid, not part of `npm run bench`: server-side JavaScript CPU per JSON request, without
// sockets, for sluice and for the same handler written by hand. node:http runs on real
// IncomingMessage / ServerResponse objects with no socket (node buffers the output), uWS on a
// response that records nothing, so what is left is each side's own work: the part of the
// socket benchmark's server CPU that sluice can change, without the loopback's noise.
//
// To compare two builds of sluice (an optimisation's before and after), bundle it twice, the
// second time with `@sluice/*` aliased to another checkout's sources (as bench/build.mjs does),
// and run the two bundles in turns:
//
//   npx esbuild bench/src/request-cost.ts --bundle --platform=node --format=esm \
//     --outfile=/tmp/request-cost.mjs --conditions=@sluice/source \
//     --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
//   (for the other build add --alias:@sluice/core=<dir>/core/src/index.ts and the same for
//   @sluice/core/adapter, @sluice/node and @sluice/uws)
//   node /tmp/request-cost.mjs [--n 100000] [--rounds 9] [--only 'uws: sluice']
//   node --expose-gc --min-semi-space-size=128 --max-semi-space-size=128 /tmp/request-cost.mjs --alloc
//
// `--alloc` reports the bytes each request allocates instead: the heap's growth over 5,000
// requests with no collection in between (a young generation large enough to hold them all),
// which the machine's load does not move. A bundle, since tsx wraps every closure in a naming
// helper.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseArgs } from 'node:util'
import { BATCH, nodeCost, settle } from './node-request'
import * as sluice from '@sluice/core'
import { createNodeHandler } from '@sluice/node'
import { createUwsHandler } from '@sluice/uws'

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    alloc: { type: 'boolean' },
  },
})
const n = Number(values.n ?? 100_000)
const rounds = Number(values.rounds ?? 9)
const BODY = { id: 1, name: 'sluice', ok: true }

type Core = typeof sluice
type NodeListener = (req: IncomingMessage, res: ServerResponse) => void
type UwsListener = (res: FakeUws, req: FakeUwsRequest) => void

function sluiceApp(core: Core): Core['createApp'] extends (...a: never[]) => infer A ? A : never {
  const app = core.createApp({ onError: () => undefined })
  core.wireHTTP(app, { method: 'get', route: '/json', func: core.defineFunction({ func: () => BODY }) })
  return app
}

const rawNode: NodeListener = (_req, res) => {
  const body = JSON.stringify(BODY)
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}

class FakeUws {
  ended = false
  onAborted(): this {
    return this
  }
  onData(): this {
    return this
  }
  onWritable(): this {
    return this
  }
  close(): this {
    return this
  }
  cork(callback: () => void): this {
    callback()
    return this
  }
  writeStatus(): this {
    return this
  }
  writeHeader(): this {
    return this
  }
  write(): boolean {
    return true
  }
  end(): this {
    this.ended = true
    return this
  }
  endWithoutBody(): this {
    this.ended = true
    return this
  }
}

const uwsHeaders: [string, string][] = [
  ['host', '127.0.0.1:4000'],
  ['accept', '*/*'],
]
class FakeUwsRequest {
  getMethod(): string {
    return 'get'
  }
  getUrl(): string {
    return '/json'
  }
  getQuery(): string | undefined {
    return undefined
  }
  forEach(callback: (name: string, value: string) => void): void {
    for (const [name, value] of uwsHeaders) callback(name, value)
  }
}

const rawUws: UwsListener = (res) => {
  res.cork(() => res.writeHeader().end())
  JSON.stringify(BODY)
}

async function uwsCost(listener: UwsListener, count: number): Promise<number> {
  const started = process.cpuUsage()
  const pending: FakeUws[] = []
  const req = new FakeUwsRequest()
  for (let i = 0; i < count; i++) {
    const res = new FakeUws()
    listener(res, req)
    pending.push(res)
    if (pending.length === BATCH) await settle(pending, (r) => r.ended)
  }
  await settle(pending, (r) => r.ended)
  const used = process.cpuUsage(started)
  return (used.user + used.system) / count
}

async function main(): Promise<void> {
  const cases: [string, (count: number) => Promise<number>][] = [
    ['node: raw node:http', (c) => nodeCost(rawNode, c)],
    ['node: sluice', (c) => nodeCost(createNodeHandler(sluiceApp(sluice)), c)],
    ['uws: raw uWS', (c) => uwsCost(rawUws, c)],
    ['uws: sluice', (c) => uwsCost(createUwsHandler(sluiceApp(sluice)) as unknown as UwsListener, c)],
  ]
  // `--only uws` runs the cases whose name contains it (for a CPU profile of one of them).
  if (values.only !== undefined)
    cases.splice(0, cases.length, ...cases.filter(([name]) => name.includes(values.only ?? '')))
  if (values.alloc === true) return allocations(cases)
  const results = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (const [, run] of cases) await run(n / 4) // warm-up
  for (let round = 0; round < rounds; round++)
    for (const [name, run] of cases) results.get(name)?.push(await run(n))
  console.log(`| case | CPU µs per request, median of ${rounds} | fastest |\n| --- | --- | --- |`)
  for (const [name, times] of results)
    console.log(`| ${name} | ${median(times).toFixed(2)} | ${Math.min(...times).toFixed(2)} |`)
}

async function allocations(cases: [string, (count: number) => Promise<number>][]): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('--alloc needs node --expose-gc')
  const count = 5000
  console.log('| case | bytes allocated per request |\n| --- | --- |')
  for (const [name, run] of cases) {
    await run(count) // warm-up: the code is optimised, its lazy state made
    gc()
    const before = process.memoryUsage().heapUsed
    await run(count)
    const grown = process.memoryUsage().heapUsed - before
    console.log(`| ${name} | ${Math.round(grown / count)} |`)
  }
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

await main()
