// The five scenarios, each measured on one running target; the runner (run.ts) decides which
// run when and saves what they push into `results`.
import { setTimeout as sleep } from 'node:timers/promises'
import { Child, wrk } from './proc'
import { prefixOf, type Results } from './plan'

/** Counts and durations of a run (quick or full). */
export interface Config {
  rounds: number
  seconds: number
  warm: number
  connections: number
  floodEvents: number
  subscribers: number
  fanoutMs: number
  idle: number
  cycles: number
}

/** What every scenario needs: the run's counts, where results go, and the CPUs to pin to. */
export interface Bench {
  config: Config
  results: Results
  serverCpu: number
  clientCpu: number
}

type Cpu = { user: number; system: number }
const cpuMicros = (a: Cpu, b: Cpu): number => b.user - a.user + (b.system - a.system)
const push = <T>(table: Record<string, T[]>, target: string, value: T): void => {
  ;(table[target] ??= []).push(value)
}
const log = (line: string): void => console.log(line)

async function withClient<T>(bench: Bench, run: (client: Child) => Promise<T>): Promise<T> {
  const client = Child.start('client', [], { cpu: bench.clientCpu, label: 'client' })
  await client.ready
  try {
    return await run(client)
  } finally {
    await client.stop()
  }
}

/** wrk on one route (`json` or `open`); the server's own CPU time per request is read over IPC around it. */
export async function rate(
  bench: Bench,
  scenario: 'json' | 'open',
  target: string,
  server: Child,
  url: string,
): Promise<void> {
  const { config } = bench
  const accept = scenario === 'json' ? 'application/json' : 'text/event-stream'
  await wrk(url, config.warm, config.connections, bench.clientCpu, accept)
  const before = await server.call<Cpu>({ cmd: 'cpu' })
  const run = await wrk(url, config.seconds, config.connections, bench.clientCpu, accept)
  const after = await server.call<Cpu>({ cmd: 'cpu' })
  if (run.errors > 0) throw new Error(`${target} ${url}: ${run.errors} answers were not 2xx`)
  if (run.socketErrors > 0) log(`  (${target} ${url}: ${run.socketErrors} socket errors or timeouts)`)
  const cpuPerRequest = cpuMicros(before, after) / (run.rps * config.seconds)
  push(bench.results[scenario], target, { rps: run.rps, cpuPerRequest })
  log(
    `  ${scenario.padEnd(6)} ${target.padEnd(15)} ${Math.round(run.rps)} req/s, ${cpuPerRequest.toFixed(1)} µs CPU/req`,
  )
}

/** One client reads a stream of `floodEvents` events as fast as the server sends them. */
export async function flood(bench: Bench, target: string, server: Child, serverPort: number): Promise<void> {
  const { config } = bench
  const path = `${prefixOf(target)}/flood?n=`
  await withClient(bench, async (client) => {
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
    push(bench.results.flood, target, { rate, cpuPerEvent: cpu })
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

/** `subscribers` streams on `/sub`: capacity when publishing flat out, then latency at ~70% of it. */
export async function fanout(bench: Bench, target: string, server: Child, serverPort: number): Promise<void> {
  const { config } = bench
  await withClient(bench, async (client) => {
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
    push(bench.results.fanout, target, {
      capacity,
      rate70: rate * n,
      p50: paced.p50,
      p99: paced.p99,
      delivered,
    })
    log(
      `  fanout ${target.padEnd(15)} ${Math.round(capacity)} deliveries/s max; at ${Math.round(rate * n)}/s: p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms, ${(delivered * 100).toFixed(1)}% delivered`,
    )
  })
}

type Mem = { heapUsed: number; rss: number }

/** Heap and RSS per idle stream with `idle` streams held, then after `cycles` connect/disconnects. */
export async function idle(bench: Bench, target: string, server: Child, serverPort: number): Promise<void> {
  const { config } = bench
  await withClient(bench, async (client) => {
    const path = `${prefixOf(target)}/idle`
    // Warm the code paths and pools first, so the baseline is not first-use allocation.
    await client.call({ cmd: 'cycles', port: serverPort, path, total: 500, wave: 100 })
    await sleep(300)
    const base = await server.call<Mem>({ cmd: 'mem' })
    const open = await client.call<number>({
      cmd: 'hold',
      port: serverPort,
      path,
      count: config.idle,
      wave: 500,
    })
    if (open !== config.idle) throw new Error(`${target} idle: ${open} of ${config.idle} streams open`)
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
    push(bench.results.idle, target, value)
    log(
      `  idle   ${target.padEnd(15)} ${(value.heapPerStream / 1024).toFixed(2)} KiB heap, ${(value.rssPerStream / 1024).toFixed(2)} KiB RSS per stream; after cycles heap ${(value.heapGrowth / 1024).toFixed(0)} KiB vs baseline`,
    )
  })
}
