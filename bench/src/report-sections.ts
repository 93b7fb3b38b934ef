// BENCHMARKS.md's section per scenario, each with the issue-20 targets it measures. Every
// target is listed, measured or not, so a partial run's report shows what it left out.
import type { Bar } from './chart'
import { GOALS, IDLE, JSON_PAIRS, JSON_PEERS, PEER_RUNTIME, SSE_TARGETS, type Results } from './plan'
import { fixed, int, mark, of, ratio, spread, table, toGoal, type Goal, type Stat } from './stats'

/** Writes one chart and returns its markdown image. */
export type Chart = (file: string, title: string, unit: string, bars: Bar[]) => string

/** A section's markdown and the targets it measured. */
export interface Section {
  lines: string[]
  goals: Goal[]
}

const isSluice = (target: string): boolean => target.startsWith('sluice-')
const x = (n: number): string => ratio(n, 1)

// The other side's server CPU per operation over sluice's: above 1, sluice costs less.
function cpuRatio(sluice: Stat | undefined, other: Stat | undefined): number | undefined {
  return sluice === undefined || other === undefined || sluice.median === 0
    ? undefined
    : other.median / sluice.median
}

/** JSON: sluice against the same handler on its own runtime, and against peers. */
export function jsonSection(results: Results, chart: Chart): Section {
  const rate = (t: string): Stat | undefined => of(results.json[t], (r) => r.rps)
  const cpu = (t: string): Stat | undefined => of(results.json[t], (r) => r.cpuPerRequest)
  const goals = new Map<string, Goal>()
  for (const [sluice, bare] of JSON_PAIRS) {
    const min = GOALS.json[bare]
    if (min === undefined) continue
    const name = `${sluice} ≥ ${min}x ${bare}`
    goals.set(
      bare,
      toGoal('JSON', name, cpuRatio(cpu(sluice), cpu(bare)), x, (n) => n >= min),
    )
  }
  const rows: string[][] = []
  const bars: Bar[] = []
  const pairs = [...JSON_PAIRS, ...Object.entries(JSON_PEERS).map(([peer, sluice]) => [sluice, peer])]
  for (const [sluice = '', other = ''] of pairs) {
    const [a, b] = [rate(sluice), rate(other)]
    if (a === undefined || b === undefined) continue
    const cpus = `${fixed(cpu(sluice)?.median ?? 0)} / ${fixed(cpu(other)?.median ?? 0)}`
    const byCpu = cpuRatio(cpu(sluice), cpu(other))
    const [ab, cr] = [ratio(a.median, b.median), byCpu === undefined ? '' : x(byCpu)]
    rows.push([sluice, spread(a, int), other, spread(b, int), ab, cpus, cr, mark(goals.get(other)?.ok)])
    if (!bars.some((bar) => bar.label === sluice)) bars.push({ label: sluice, ...a, highlight: true })
    bars.push({ label: other, ...b, highlight: false })
  }
  const head = [
    'sluice',
    'req/s',
    'compared with',
    'req/s',
    'rate ratio',
    'server CPU µs/req (sluice / other)',
  ]
  return {
    goals: [...goals.values()],
    lines: [
      '### JSON request rate',
      'wrk, 50 connections, `GET /json` answering `{"id":1,"name":"sluice","ok":true}`. Each sluice target against the same handler written on its own runtime (raw node:http, an Express route with `res.json`, a Fastify route returning the object, a uWS route, `Bun.serve` with `Response.json`), and sluice on node:http against Hono on `@hono/node-server` (`c.json`). The CPU ratio (the other side\'s server CPU per request over sluice\'s) decides the targets.',
      table([...head, 'CPU ratio', 'target'], rows),
      chart('json.svg', 'JSON request rate', 'requests/s', bars),
    ],
  }
}

// One row per stream target measured: its stat and, for a peer, the sluice runtime it is
// compared with and sluice's ratio to it.
function peerRows(stat: (target: string) => Stat | undefined): { rows: string[][]; bars: Bar[] } {
  const rows: string[][] = []
  const bars: Bar[] = []
  for (const target of SSE_TARGETS) {
    const s = stat(target)
    if (s === undefined) continue
    bars.push({ label: target, ...s, highlight: isSluice(target) })
    const runtime = PEER_RUNTIME[target]
    const ours = runtime === undefined ? undefined : stat(runtime)
    rows.push([target, spread(s, int), runtime ?? '', ours === undefined ? '' : ratio(ours.median, s.median)])
  }
  return { rows, bars }
}

/** Stream open: a stream that sends one event and ends, per second and per CPU. */
export function openSection(results: Results, chart: Chart): Section {
  const cpu = (t: string): Stat | undefined => of(results.open[t], (r) => r.cpuPerRequest)
  const goals = new Map<string, Goal>()
  for (const [peer, min] of Object.entries(GOALS.open)) {
    const runtime = PEER_RUNTIME[peer] ?? ''
    const value = cpuRatio(cpu(runtime), cpu(peer))
    goals.set(
      peer,
      toGoal('stream open', `${runtime} ≥ ${min}x ${peer}`, value, x, (n) => n >= min),
    )
  }
  const { rows, bars } = peerRows((t) => of(results.open[t], (r) => r.rps))
  for (const row of rows) {
    const target = row[0] as string
    const runtime = PEER_RUNTIME[target]
    const byCpu = runtime === undefined ? undefined : cpuRatio(cpu(runtime), cpu(target))
    row.splice(2, 0, fixed(cpu(target)?.median ?? 0))
    row.push(byCpu === undefined ? '' : x(byCpu), mark(goals.get(target)?.ok))
  }
  const head = ['target', 'streams/s', 'server CPU µs/stream', 'compared with', 'sluice / target (rate)']
  return {
    goals: [...goals.values()],
    lines: [
      '### Stream open rate',
      "wrk, 50 keep-alive connections, `GET /one` with `Accept: text/event-stream`: a stream that sends one event and ends (sluice also sends its opening comment, `retry:` and `event: done`). The CPU ratio is the peer's server CPU per stream over sluice's.",
      table([...head, 'CPU ratio', 'target'], rows),
      chart('open.svg', 'Stream open rate', 'streams/s', bars),
    ],
  }
}

/** Flood: one stream, events as fast as the server sends them; server CPU per event decides. */
export function floodSection(results: Results, chart: Chart): Section {
  const cpu = (t: string): Stat | undefined => of(results.flood[t], (r) => r.cpuPerEvent)
  const goals = new Map<string, Goal>()
  for (const [target, max] of Object.entries(GOALS.floodCpu)) {
    const name = `${target} ≤ ${max} µs server CPU/event`
    const value = cpu(target)?.median
    goals.set(
      target,
      toGoal(
        'flood',
        name,
        value,
        (n) => `${fixed(n, 2)} µs`,
        (n) => n <= max,
      ),
    )
  }
  const { rows, bars } = peerRows((t) => of(results.flood[t], (r) => r.rate))
  for (const row of rows) {
    const target = row[0] as string
    const c = cpu(target)
    row.splice(2, 0, c === undefined ? '' : fixed(c.median, 2))
    row.push(mark(goals.get(target)?.ok))
  }
  return {
    goals: [...goals.values()],
    lines: [
      '### Single-stream flood',
      `One client reads \`GET /flood?n=${int(results.config['floodEvents'] ?? 0)}\`: a generator yielding \`{"i":k}\` as fast as the server sends them. Events/s from the first byte to the end, counted by the bench's own client; server CPU from \`process.cpuUsage()\` in the server process.`,
      table(
        ['target', 'events/s', 'server CPU µs/event', 'compared with', 'sluice / target', 'target'],
        rows,
      ),
      chart('flood.svg', 'Single-stream flood', 'events/s', bars),
    ],
  }
}

/** Fan-out: capacity with 1000 subscribers, then latency at 70% of it. */
export function fanoutSection(results: Results, chart: Chart): Section {
  const capacity = (t: string): Stat | undefined => of(results.fanout[t], (r) => r.capacity)
  const goals = new Map<string, Goal>()
  for (const [peer, runtime] of Object.entries(PEER_RUNTIME)) {
    const [ours, theirs] = [capacity(runtime), capacity(peer)]
    const value = ours === undefined || theirs === undefined ? undefined : ours.median / theirs.median
    const name = `${runtime} ≥ ${GOALS.fanout.toFixed(1)}x ${peer}`
    goals.set(
      peer,
      toGoal('fan-out', name, value, x, (n) => n >= GOALS.fanout),
    )
  }
  const { rows, bars } = peerRows(capacity)
  for (const row of rows) {
    const target = row[0] as string
    const list = results.fanout[target] ?? []
    const [p50, p99] = [of(list, (r) => r.p50) as Stat, of(list, (r) => r.p99) as Stat]
    const load = of(list, (r) => r.rate70) as Stat
    const delivered = of(list, (r) => r.delivered * 100) as Stat
    row.splice(2, 0, int(load.median), fixed(p50.median), fixed(p99.median), `${fixed(delivered.min)}%`)
    row.push(mark(goals.get(target)?.ok))
  }
  const head = ['target', 'capacity deliveries/s', 'deliveries/s at ~70%', 'p50 ms', 'p99 ms']
  return {
    goals: [...goals.values()],
    lines: [
      '### Fan-out',
      `${int(results.config['subscribers'] ?? 0)} subscribers on \`GET /sub\`; the server publishes \`{"t":<µs>,"s":n}\` to all of them. Capacity: deliveries/s while publishing once per event-loop turn (as fast as the server goes) for ${(results.config['fanoutMs'] ?? 0) / 1000} s. Then a paced run at about 70% of that capacity; latency is the client's clock minus the publish time inside each event (one wall clock for every process of the machine). Each target at 70% of its own capacity.`,
      table([...head, 'delivered (worst round)', 'compared with', 'sluice / target', 'target'], rows),
      chart('fanout.svg', 'Fan-out capacity, 1000 subscribers', 'deliveries/s', bars),
    ],
  }
}

/** Idle memory: heap per idle stream, above raw node:http and above the same framework by hand. */
export function idleSection(results: Results, chart: Chart): Section {
  const heap = (t: string): Stat | undefined => of(results.idle[t], (r) => r.heapPerStream / 1024)
  const above = (t: string, base: string | undefined): number | undefined => {
    const [h, b] = [heap(t), base === undefined ? undefined : heap(base)]
    return h === undefined || b === undefined ? undefined : h.median - b.median
  }
  const goals = new Map<string, Goal>()
  for (const [target, { base, limit }] of Object.entries(IDLE)) {
    if (limit === undefined) continue
    const name = `${target} ≤ ${limit} KiB above ${base}`
    const format = (n: number): string => `${fixed(n, 2)} KiB`
    goals.set(
      target,
      toGoal('idle heap', name, above(target, base), format, (n) => n <= limit),
    )
  }
  const rows: string[][] = []
  const bars: Bar[] = []
  for (const [target, { base }] of Object.entries(IDLE)) {
    const [list, h] = [results.idle[target], heap(target)]
    if (list === undefined || h === undefined) continue
    const overRaw = target === 'raw-node' || target.endsWith('-bun') ? undefined : above(target, 'raw-node')
    const overBase = above(target, base)
    rows.push([
      target,
      spread(h, (n) => fixed(n, 2)),
      overRaw === undefined ? '' : fixed(overRaw, 2),
      base ?? '',
      overBase === undefined ? '' : fixed(overBase, 2),
      spread(of(list, (r) => r.rssPerStream / 1024) as Stat, (n) => fixed(n, 2)),
      spread(of(list, (r) => r.heapGrowth / 1024) as Stat, int),
      mark(goals.get(target)?.ok),
    ])
    bars.push({ label: target, ...h, highlight: isSluice(target) })
  }
  const head = ['target', 'heap KiB/stream', 'above raw node:http', 'compared with', 'above it']
  return {
    goals: [...goals.values()],
    lines: [
      '### Idle memory',
      `${int(results.config['idle'] ?? 0)} idle SSE connections (\`GET /idle\`, a stream that waits for its client to leave), client and server in separate processes. Heap and RSS after a forced collection in the server, before and with the streams open, divided by the count. Then all close, ${int(results.config['cycles'] ?? 0)} connect/disconnect cycles run, and the heap is compared with the baseline taken before the streams opened. Each sluice target is compared with raw node:http and with the same runtime or framework streaming by hand. Bun's heap is JavaScriptCore's (\`Bun.gc(true)\`), comparable with raw-bun only.`,
      table([...head, 'RSS KiB/stream', 'heap after cycles vs baseline (KiB)', 'target'], rows),
      chart('idle.svg', 'Heap per idle stream', 'KiB', bars),
    ],
  }
}
