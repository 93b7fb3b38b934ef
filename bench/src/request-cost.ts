// Dev aid, not part of `npm run bench`: server-side JavaScript CPU per JSON request, without
// sockets, for sluice and for the same handler written by hand. node:http runs on real
// IncomingMessage / ServerResponse objects with no socket (node buffers the output), uWS on a
// response that records nothing, so what is left is each side's own work: the part of the
// socket benchmark's server CPU that sluice can change, without the loopback's noise.
//
// Compares two builds of sluice in one process: `@base/*` names another checkout's sources.
//
//   npx esbuild bench/src/request-cost.ts --bundle --platform=node --format=esm \
//     --outfile=/tmp/request-cost.mjs --conditions=@sluice/source \
//     --alias:@base/core=<base>/core/src/index.ts --alias:@base/node=<base>/runtimes/node/src/index.ts \
//     --alias:@base/uws=<base>/runtimes/uws/src/index.ts \
//     --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
//   node /tmp/request-cost.mjs [--n 100000] [--rounds 9] [--only 'uws: sluice']
//
// A bundle, since tsx wraps every closure in a naming helper; without a base checkout, alias
// `@base/*` to this one's sources.
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { parseArgs } from 'node:util'
import * as opt from '@sluice/core'
import { createNodeHandler as nodeOpt } from '@sluice/node'
import { createUwsHandler as uwsOpt } from '@sluice/uws'
import * as base from '@base/core'
import { createNodeHandler as nodeBase } from '@base/node'
import { createUwsHandler as uwsBase } from '@base/uws'

const { values } = parseArgs({ options: { n: { type: 'string' }, rounds: { type: 'string' }, only: { type: 'string' } } })
const n = Number(values.n ?? 100_000)
const rounds = Number(values.rounds ?? 9)
const BODY = { id: 1, name: 'sluice', ok: true }

type Core = typeof opt
type NodeListener = (req: IncomingMessage, res: ServerResponse) => void
type UwsListener = (res: FakeUws, req: FakeUwsRequest) => void

function sluiceApp(sluice: Core): Core['createApp'] extends (...a: never[]) => infer A ? A : never {
  const app = sluice.createApp({ onError: () => undefined })
  sluice.wireHTTP(app, { method: 'get', route: '/json', func: sluice.defineFunction({ func: () => BODY }) })
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

// A request as node's parser leaves it: method, url, headers; its stream already ended.
function nodeRequest(): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(socket)
  req.method = 'GET'
  req.url = '/json'
  req.httpVersionMajor = req.httpVersionMinor = 1
  req.httpVersion = '1.1'
  req.headers = { host: '127.0.0.1:4000', accept: '*/*' }
  req.complete = true
  req.push(null)
  return { req, res: new ServerResponse(req) }
}
const socket = new Socket()

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

const BATCH = 100
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

// CPU time, not wall time: the machine is shared.
async function nodeCost(listener: NodeListener, count: number): Promise<number> {
  const started = process.cpuUsage()
  const pending: ServerResponse[] = []
  for (let i = 0; i < count; i++) {
    const { req, res } = nodeRequest()
    listener(req, res)
    pending.push(res)
    if (pending.length === BATCH) await settle(pending, (r) => r.writableEnded)
  }
  await settle(pending, (r) => r.writableEnded)
  const used = process.cpuUsage(started)
  return (used.user + used.system) / count
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

async function settle<T>(pending: T[], done: (item: T) => boolean): Promise<void> {
  await turn()
  if (!pending.every(done)) throw new Error('a response did not end within one turn')
  pending.length = 0
}

async function main(): Promise<void> {
  const cases: [string, (count: number) => Promise<number>][] = [
    ['node: raw node:http', (c) => nodeCost(rawNode, c)],
    ['node: sluice base', (c) => nodeCost(nodeBase(sluiceApp(base as Core)), c)],
    ['node: sluice', (c) => nodeCost(nodeOpt(sluiceApp(opt)), c)],
    ['uws: raw uWS', (c) => uwsCost(rawUws, c)],
    ['uws: sluice base', (c) => uwsCost(uwsBase(sluiceApp(base as Core)) as unknown as UwsListener, c)],
    ['uws: sluice', (c) => uwsCost(uwsOpt(sluiceApp(opt)) as unknown as UwsListener, c)],
  ]
  // `--only uws` runs the cases whose name contains it (for a CPU profile of one of them).
  if (values.only !== undefined) cases.splice(0, cases.length, ...cases.filter(([name]) => name.includes(values.only ?? '')))
  const results = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (const [, run] of cases) await run(n / 4) // warm-up
  for (let round = 0; round < rounds; round++)
    for (const [name, run] of cases) results.get(name)?.push(await run(n))
  console.log(`| case | CPU µs per request, median of ${rounds} | fastest |\n| --- | --- | --- |`)
  for (const [name, times] of results)
    console.log(`| ${name} | ${median(times).toFixed(2)} | ${Math.min(...times).toFixed(2)} |`)
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

await main()
