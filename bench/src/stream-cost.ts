// What the stream engine costs per stream and per event, without sockets: core's handler called
// in a loop, its body read as an adapter reads it. Separates the engine from the runtime's write
// path, and a generator source from a channel (a source that pushes, read without a promise per
// value). Interleaved rounds of CPU time; the fastest and the median are reported.
//
//   node --import tsx bench/src/stream-cost.ts [--n 200000] [--rounds 7]
//
// For figures without tsx's wrappers, bundle it first (what BENCHMARKS.md quotes):
//   bench/node_modules/.bin/esbuild bench/src/stream-cost.ts --bundle --platform=node --format=esm \
//     --conditions=@sluice/source --outfile=bench/dist/stream-cost.mjs && node bench/dist/stream-cost.mjs
// To compare with another checkout's sources (an optimisation's before), bundle it again with
// `--alias:@sluice/core=<dir>/core/src/index.ts --alias:@sluice/core/adapter=<dir>/core/src/adapter/index.ts`
// and run the two bundles one after the other, a few times each.
import { parseArgs } from 'node:util'
import * as core from '@sluice/core'
import { createHandler, type CoreRequest, type CoreHandler } from '@sluice/core/adapter'
import { Hub } from './hub'

const { values } = parseArgs({
  options: { n: { type: 'string' }, rounds: { type: 'string' } },
})
const events = Number(values.n ?? 200_000)
const rounds = Number(values.rounds ?? 7)
const opens = 20_000
// A channel producer sends this many a turn (a timer or a socket's data would, too).
const PER_TURN = 500

function request(url: string): CoreRequest {
  return {
    method: 'GET',
    url,
    headers: { host: '127.0.0.1', accept: 'text/event-stream' },
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: new AbortController().signal,
  }
}

const hub = new Hub<{ s: number }>()
const SUBSCRIBERS = 1000
const PUBLISHES = 100

// The bench app's streams: /one (open, one event, end), /flood (a generator), /push (a channel),
// /sub (the bench's fan-out: a user's async-iterator hub under `yield*`).
function streamApp(): CoreHandler {
  const app = core.createApp({ sse: { heartbeatMs: 0 }, onError: () => undefined })
  const sub = core.defineFunction({
    async *func({ signal }) {
      yield* hub.subscribe(signal)
    },
  })
  core.wireHTTP(app, { method: 'get', route: '/sub', func: sub })
  const one = core.defineFunction({
    async *func() {
      yield { i: 1 }
    },
  })
  const flood = core.defineFunction({
    async *func({ input }: { input: Record<string, unknown> }) {
      const n = Number(input['n'])
      for (let i = 1; i <= n; i++) yield { i }
    },
  })
  const push = core.defineFunction({
    func: ({
      input,
      channel,
    }: {
      input: Record<string, unknown>
      channel?: core.Channel<unknown, unknown>
    }) => {
      if (channel !== undefined) produce(channel, Number(input['n']))
      return { started: true }
    },
  })
  core.wireHTTP(app, { method: 'get', route: '/one', func: one })
  core.wireHTTP(app, { method: 'get', route: '/flood', func: flood })
  core.wireHTTP(app, { method: 'get', route: '/push', func: push, sse: true })
  return createHandler(app)
}

function produce(channel: core.Channel<unknown, unknown>, n: number, from = 1): void {
  setImmediate(() => {
    const end = Math.min(n, from + PER_TURN - 1)
    for (let i = from; i <= end; i++) if (!channel.send({ i })) return
    if (end === n) channel.close()
    else produce(channel, n, end + 1)
  })
}

// 1000 subscribers read as an adapter reads; 100 publishes, one a turn; CPU per delivery.
async function fanOut(handle: CoreHandler): Promise<number> {
  const clients = Array.from({ length: SUBSCRIBERS }, () => new AbortController())
  let delivered = 0
  const read = async (body: AsyncIterable<string>): Promise<void> => {
    for await (const chunk of body) delivered += chunk.split('data: ').length - 1
  }
  const readers = await Promise.all(
    clients.map(async (client) => {
      const { body } = await handle({ ...request('/sub'), signal: client.signal })
      // In an object: an async function returning the reader's promise would wait for it.
      return { done: read(body as AsyncIterable<string>) }
    }),
  )
  const started = process.cpuUsage()
  for (let s = 0; s < PUBLISHES; s++) {
    hub.publish({ s })
    await new Promise((resolve) => setImmediate(resolve))
  }
  while (delivered < SUBSCRIBERS * PUBLISHES) await new Promise((resolve) => setImmediate(resolve))
  const used = process.cpuUsage(started)
  for (const client of clients) client.abort()
  await Promise.all(readers.map((reader) => reader.done))
  return (used.user + used.system) / delivered
}

// CPU time, not wall time: the machine is shared.
async function cpuPer(handle: CoreHandler, url: string, streams: number, per: number): Promise<number> {
  const started = process.cpuUsage()
  for (let i = 0; i < streams; i++) {
    const { body } = await handle(request(url))
    if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body)
      for await (const _ of body);
    // A server's loop turns between requests. Without it, what each stream leaves for a later
    // turn (its `setImmediate`s) piles up for the whole run, and collecting that pile was most
    // of what the open case measured (27–52 µs before this; 7–11 µs with it).
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve))
  }
  const used = process.cpuUsage(started)
  return (used.user + used.system) / (streams * per)
}

async function main(): Promise<void> {
  const cases: [string, () => Promise<number>][] = []
  const add = (label: string, handle: CoreHandler): void => {
    cases.push([`${label}: open, 1 event (µs/stream)`, () => cpuPer(handle, '/one', opens, 1)])
    cases.push([
      `${label}: generator flood (µs/event)`,
      () => cpuPer(handle, `/flood?n=${events}`, 1, events),
    ])
    cases.push([`${label}: channel flood (µs/event)`, () => cpuPer(handle, `/push?n=${events}`, 1, events)])
    cases.push([`${label}: fan-out, ${SUBSCRIBERS} subscribers (µs/delivery)`, () => fanOut(handle)])
  }
  add('sluice', streamApp())
  for (const [, run] of cases) await run() // warm-up
  const results = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++)
    for (const [name, run] of cases) results.get(name)?.push(await run())
  console.log(`| case | CPU, fastest of ${rounds} rounds | median |\n| --- | --- | --- |`)
  for (const [name, times] of results)
    console.log(`| ${name} | ${Math.min(...times).toFixed(3)} | ${median(times).toFixed(3)} |`)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

await main()
