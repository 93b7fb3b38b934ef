// `npm run bench [-- --quick] [--only json,open,flood,fanout,idle] [--targets a,b] [--rounds N]`
// Runs every scenario on every target, interleaved: each round visits the targets in a
// rotated order, so slow drifts of the machine spread over all of them. Writes the raw
// numbers to bench/results/, then BENCHMARKS.md and bench/charts/ (full runs only).
import { execSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { Child, wrk } from './proc'
import { writeReport } from './report'
import { JSON_PAIRS, prefixOf, SSE_TARGETS, IDLE_TARGETS, type Results } from './plan'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    targets: { type: 'string' },
    rounds: { type: 'string' },
    out: { type: 'string' },
  },
})
const quick = values.quick === true
const only = new Set((values.only ?? 'json,open,flood,fanout,idle').split(','))
// `--targets` picks targets by name; `name@variant` runs a target from bench/dist-variant.
const pick = (list: string[]): string[] => {
  if (values.targets === undefined) return list
  const wanted = values.targets.split(',')
  return wanted.filter((t) => list.includes(t.split('@')[0] ?? ''))
}

const config = quick
  ? {
      rounds: 1,
      seconds: 1,
      warm: 1,
      connections: 50,
      floodEvents: 50_000,
      subscribers: 1000,
      fanoutMs: 600,
      idle: 1000,
      cycles: 1000,
    }
  : {
      rounds: 5,
      seconds: 2,
      warm: 1,
      connections: 50,
      floodEvents: 400_000,
      subscribers: 1000,
      fanoutMs: 1500,
      idle: 10_000,
      cycles: 10_000,
    }
if (values.rounds !== undefined) config.rounds = Number(values.rounds)

const SERVER_CPU = 0
const CLIENT_CPU = 1
let port = 21000 + Math.floor(Math.random() * 2000)

const results: Results = {
  date: new Date().toISOString(),
  quick,
  config,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    wrk: (execSync('wrk --version 2>&1 || true').toString().split('\n')[0] ?? '').split(' [')[0] ?? '',
  },
  json: {},
  open: {},
  flood: {},
  fanout: {},
  idle: {},
}

const push = <T>(table: Record<string, T[]>, target: string, value: T): void => {
  ;(table[target] ??= []).push(value)
}
const log = (line: string): void => console.log(line)

async function startServer(target: string): Promise<{ server: Child; url: string; port: number }> {
  const p = port++
  const [name = target, variant] = target.split('@')
  const server = Child.start(
    'server',
    [name, String(p)],
    SERVER_CPU,
    target,
    variant === undefined ? 'dist' : `dist-${variant}`,
  )
  await Promise.race([
    server.ready,
    server.exited.then(() => Promise.reject(new Error(`${target} did not start`))),
  ])
  return { server, url: `http://127.0.0.1:${p}${prefixOf(name)}`, port: p }
}

async function withClient<T>(run: (client: Child) => Promise<T>): Promise<T> {
  const client = Child.start('client', [], CLIENT_CPU, 'client')
  await client.ready
  try {
    return await run(client)
  } finally {
    await client.stop()
  }
}

type Cpu = { user: number; system: number }
const cpuMicros = (a: Cpu, b: Cpu): number => b.user - a.user + (b.system - a.system)

// wrk on one route; the server's own CPU time per request is read over IPC around it.
async function rate(
  table: Results['json'],
  label: string,
  target: string,
  server: Child,
  url: string,
  accept: string,
): Promise<void> {
  await wrk(url, config.warm, config.connections, CLIENT_CPU, accept)
  const before = await server.call<Cpu>({ cmd: 'cpu' })
  const { rps, errors, socketErrors } = await wrk(url, config.seconds, config.connections, CLIENT_CPU, accept)
  const after = await server.call<Cpu>({ cmd: 'cpu' })
  if (errors > 0) throw new Error(`${target} ${url}: ${errors} answers were not 2xx`)
  if (socketErrors > 0) log(`  (${target} ${url}: ${socketErrors} socket errors or timeouts)`)
  const cpuPerRequest = cpuMicros(before, after) / (rps * config.seconds)
  push(table, target, { rps, cpuPerRequest })
  log(
    `  ${label.padEnd(6)} ${target.padEnd(15)} ${Math.round(rps)} req/s, ${cpuPerRequest.toFixed(1)} µs CPU/req`,
  )
}

async function flood(target: string, server: Child, serverPort: number): Promise<void> {
  const path = `${prefixOf(target)}/flood?n=`
  await withClient(async (client) => {
    await client.call({ cmd: 'flood', port: serverPort, path: `${path}${config.floodEvents / 4}` })
    const before = await server.call<Cpu>({ cmd: 'cpu' })
    const run = await client.call<{ events: number; ms: number }>({
      cmd: 'flood',
      port: serverPort,
      path: `${path}${config.floodEvents}`,
    })
    const after = await server.call<Cpu>({ cmd: 'cpu' })
    if (run.events !== config.floodEvents)
      throw new Error(`${target} flood: ${run.events} of ${config.floodEvents} events`)
    const rate = (run.events / run.ms) * 1000
    const cpu = cpuMicros(before, after) / run.events
    push(results.flood, target, { rate, cpuPerEvent: cpu })
    log(`  flood  ${target.padEnd(15)} ${Math.round(rate)} events/s, ${cpu.toFixed(3)} µs CPU/event`)
  })
}

async function settle(client: Child): Promise<void> {
  let last = -1
  for (let i = 0; i < 100; i++) {
    const total = await client.call<number>({ cmd: 'total' })
    if (total === last) return
    last = total
    await sleep(200)
  }
}

type Measure = { deliveries: number; p50: number; p99: number; max: number }

async function fanout(target: string, server: Child, serverPort: number): Promise<void> {
  await withClient(async (client) => {
    const n = config.subscribers
    const open = await client.call<number>({
      cmd: 'hold',
      port: serverPort,
      path: `${prefixOf(target)}/sub`,
      count: n,
      wave: 250,
    })
    for (let i = 0; i < 50 && (await server.call<number>({ cmd: 'subscribers' })) < n; i++) await sleep(20)
    const subscribed = await server.call<number>({ cmd: 'subscribers' })
    if (open !== n || subscribed !== n)
      throw new Error(`${target} fan-out: ${open} open, ${subscribed} subscribed`)
    // Warm up, then saturate: one publish per event-loop turn, as fast as the server goes.
    await server.call({ cmd: 'publish', rate: 0, ms: config.fanoutMs / 4 })
    await settle(client)
    await client.call({ cmd: 'measure-start' })
    await server.call({ cmd: 'publish', rate: 0, ms: config.fanoutMs })
    const saturated = await client.call<Measure>({ cmd: 'measure-stop' })
    const capacity = saturated.deliveries / (config.fanoutMs / 1000)
    await settle(client)
    // About 70% of that capacity, paced by a 1 ms timer.
    const rate = (0.7 * capacity) / n
    await client.call({ cmd: 'measure-start' })
    const sent = await server.call<number>({ cmd: 'publish', rate, ms: config.fanoutMs })
    await settle(client)
    const paced = await client.call<Measure>({ cmd: 'measure-stop' })
    await client.call({ cmd: 'close-all' })
    const delivered = paced.deliveries / (sent * n)
    push(results.fanout, target, { capacity, rate70: rate * n, p50: paced.p50, p99: paced.p99, delivered })
    log(
      `  fanout ${target.padEnd(15)} ${Math.round(capacity)} deliveries/s max; at ${Math.round(rate * n)}/s: p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms, ${(delivered * 100).toFixed(1)}% delivered`,
    )
  })
}

type Mem = { heapUsed: number; rss: number }

async function idle(target: string): Promise<void> {
  const { server, port: serverPort } = await startServer(target)
  try {
    await withClient(async (client) => {
      const path = `${prefixOf(target)}/idle`
      // Warm the code paths and pools first, so the baseline is not first-use allocation.
      await client.call({ cmd: 'cycles', port: serverPort, path, total: 500, wave: 100 })
      await sleep(300)
      const base = await server.call<Mem>({ cmd: 'mem' })
      await client.call({ cmd: 'hold', port: serverPort, path, count: config.idle, wave: 500 })
      await sleep(300)
      const held = await server.call<Mem>({ cmd: 'mem' })
      await client.call({ cmd: 'close-all' })
      await client.call({ cmd: 'cycles', port: serverPort, path, total: config.cycles, wave: 200 })
      await sleep(500)
      const after = await server.call<Mem>({ cmd: 'mem' })
      const value = {
        heapPerStream: (held.heapUsed - base.heapUsed) / config.idle,
        rssPerStream: (held.rss - base.rss) / config.idle,
        heapGrowth: after.heapUsed - base.heapUsed,
        rssGrowth: after.rss - base.rss,
      }
      push(results.idle, target, value)
      log(
        `  idle   ${target.padEnd(15)} ${(value.heapPerStream / 1024).toFixed(2)} KiB heap, ${(value.rssPerStream / 1024).toFixed(2)} KiB RSS per stream; after cycles heap ${(value.heapGrowth / 1024).toFixed(0)} KiB vs baseline`,
      )
    })
  } finally {
    await server.stop()
  }
}

const rotate = <T>(list: T[], by: number): T[] => list.map((_, i) => list[(i + by) % list.length] as T)
const jsonTargets = new Set(JSON_PAIRS.flat())
const targets = pick([...new Set([...JSON_PAIRS.flat(), ...SSE_TARGETS])])
const began = Date.now()
log(
  `sluice bench: ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}, load ${results.machine.load}`,
)

for (let round = 0; round < config.rounds; round++) {
  log(`round ${round + 1}/${config.rounds} (${Math.round((Date.now() - began) / 1000)} s)`)
  for (const target of rotate(targets, round)) {
    const base = target.split('@')[0] ?? target
    const sse = SSE_TARGETS.includes(base)
    const { server, url, port: serverPort } = await startServer(target)
    try {
      if (only.has('json') && jsonTargets.has(base))
        await rate(results.json, 'json', target, server, `${url}/json`, 'application/json')
      if (only.has('open') && sse)
        await rate(results.open, 'open', target, server, `${url}/one`, 'text/event-stream')
      if (only.has('flood') && sse) await flood(target, server, serverPort)
      if (only.has('fanout') && sse) await fanout(target, server, serverPort)
    } finally {
      await server.stop()
    }
  }
  if (only.has('idle')) for (const target of rotate(pick(IDLE_TARGETS), round)) await idle(target)
}
results.machine.load = `${results.machine.load} at start; ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at end`
results.seconds = Math.round((Date.now() - began) / 1000)
log(`done in ${results.seconds} s`)

const resultsDir = new URL('../results/', import.meta.url)
mkdirSync(resultsDir, { recursive: true })
const name = values.out ?? (quick ? 'quick.json' : 'full.json')
writeFileSync(new URL(name, resultsDir), `${JSON.stringify(results, null, 2)}\n`)
if (!quick && values.out === undefined && values.only === undefined && values.targets === undefined)
  writeReport(results)
