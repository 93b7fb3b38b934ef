// `npm run bench [-- --quick] [--only json,open,flood,fanout,idle] [--targets a,b] [--rounds N]
//   [--out name.json] [--resume] [--report]`
// Runs every scenario on every target, interleaved: each round visits the targets in a
// rotated order, so slow drifts of the machine spread over all of them. After each round the
// results so far are saved (bench/results/<name>.partial.json), so an interrupted run keeps
// its finished rounds: `--resume` continues it, `--report` writes BENCHMARKS.md from it. A run
// that finishes renames that file to <name>.json and, if it ran everything, writes the report.
import { execFileSync, execSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { bunBinary, Child } from './proc'
import { writeReport } from './report'
import {
  BUN_TARGETS,
  IDLE_TARGETS,
  JSON_PAIRS,
  JSON_PEERS,
  prefixOf,
  SSE_TARGETS,
  type Plan,
  type Results,
} from './plan'
import { fanout, flood, idle, rate, type Bench, type Config } from './scenarios'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    targets: { type: 'string' },
    rounds: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
  },
})

const QUICK: Config = {
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
const FULL: Config = {
  rounds: 7,
  seconds: 2,
  warm: 1,
  connections: 50,
  floodEvents: 400_000,
  subscribers: 1000,
  fanoutMs: 1500,
  idle: 10_000,
  cycles: 10_000,
}

const resultsDir = new URL('../results/', import.meta.url)
const name = values.out ?? (values.quick ? 'quick.json' : 'full.json')
const finalFile = new URL(name, resultsDir)
const partialFile = new URL(name.replace(/(\.json)?$/, '.partial.json'), resultsDir)
const log = (line: string): void => console.log(line)
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
const read = (file: URL): Results => JSON.parse(readFileSync(file, 'utf8')) as Results

if (values.report) {
  // The newer of the finished file and an interrupted run's rounds.
  const files = [finalFile, partialFile].filter((f) => existsSync(f))
  const file = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
  if (file === undefined) throw new Error(`no results to report: ${finalFile.pathname} does not exist`)
  writeReport(read(file))
  log(`BENCHMARKS.md and bench/charts/ written from ${file.pathname}`)
  process.exit(0)
}

const results = values.resume ? resume() : fresh()
const plan = results.plan as Plan
if (values.rounds !== undefined) plan.rounds = results.config['rounds'] = Number(values.rounds)
const bench: Bench = { config: results.config as unknown as Config, results, serverCpu: 0, clientCpu: 1 }

function fresh(): Results {
  const config = { ...(values.quick ? QUICK : FULL) }
  const only = (values.only ?? 'json,open,flood,fanout,idle').split(',')
  // `--targets` picks targets by name; `name@variant` runs a target from bench/dist-variant.
  const pick = (list: string[]): string[] => {
    if (values.targets === undefined) return list
    return values.targets.split(',').filter((t) => list.includes(t.split('@')[0] ?? ''))
  }
  const all = [...new Set([...JSON_PAIRS.flat(), ...Object.keys(JSON_PEERS), ...SSE_TARGETS])]
  const targets = pick(all)
  const idleTargets = pick(IDLE_TARGETS)
  const bun = [...targets, ...idleTargets].some((t) => BUN_TARGETS.has(t.split('@')[0] ?? ''))
  return {
    date: new Date().toISOString(),
    quick: values.quick === true,
    roundsDone: 0,
    // Only a full run of everything rewrites BENCHMARKS.md by itself.
    plan: {
      rounds: config.rounds,
      targets,
      idleTargets,
      only,
      report:
        !values.quick &&
        values.only === undefined &&
        values.targets === undefined &&
        values.out === undefined,
    },
    config: config as unknown as Record<string, number>,
    machine: machine(bun),
    json: {},
    open: {},
    flood: {},
    fanout: {},
    idle: {},
  }
}

function machine(bun: boolean): Results['machine'] {
  const wrk = execSync('wrk --version 2>&1 || true').toString().split('\n')[0] ?? ''
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    ...(bun ? { bun: execFileSync(bunBinary(), ['--version']).toString().trim() } : {}),
    load: loadavg(),
    wrk: wrk.split(' [')[0] ?? '',
  }
}

function resume(): Results {
  if (!existsSync(partialFile)) throw new Error(`nothing to resume: ${partialFile.pathname} does not exist`)
  const saved = read(partialFile)
  log(`resuming ${partialFile.pathname} after round ${saved.roundsDone ?? 0}`)
  if (values.only !== undefined || values.targets !== undefined)
    log('  (--only and --targets are ignored: a resumed run keeps the plan it started with)')
  return saved
}

let port = 21000 + Math.floor(Math.random() * 2000)
async function startServer(target: string): Promise<{ server: Child; url: string; port: number }> {
  const p = port++
  const server = Child.server(target, p, bench.serverCpu)
  await Promise.race([
    server.ready,
    server.exited.then(() => Promise.reject(new Error(`${target} did not start`))),
  ])
  return { server, url: `http://127.0.0.1:${p}${prefixOf(target)}`, port: p }
}

async function withServer(target: string, run: (server: Child, url: string, port: number) => Promise<void>) {
  const { server, url, port: serverPort } = await startServer(target)
  try {
    await run(server, url, serverPort)
  } finally {
    await server.stop()
  }
}

const rotate = <T>(list: T[], by: number): T[] => list.map((_, i) => list[(i + by) % list.length] as T)
const only = new Set(plan.only)
const jsonTargets = new Set([...JSON_PAIRS.flat(), ...Object.keys(JSON_PEERS)])

async function runRound(round: number): Promise<void> {
  for (const target of rotate(plan.targets, round)) {
    const base = target.split('@')[0] ?? target
    const sse = SSE_TARGETS.includes(base)
    const json = only.has('json') && jsonTargets.has(base)
    if (!json && !(sse && ['open', 'flood', 'fanout'].some((s) => only.has(s)))) continue
    await withServer(target, async (server, url, serverPort) => {
      if (json) await rate(bench, 'json', target, server, `${url}/json`)
      if (only.has('open') && sse) await rate(bench, 'open', target, server, `${url}/one`)
      if (only.has('flood') && sse) await flood(bench, target, server, serverPort)
      if (only.has('fanout') && sse) await fanout(bench, target, server, serverPort)
    })
  }
  if (only.has('idle'))
    for (const target of rotate(plan.idleTargets, round))
      await withServer(target, (server, _url, serverPort) => idle(bench, target, server, serverPort))
}

const began = Date.now() - (results.seconds ?? 0) * 1000
mkdirSync(resultsDir, { recursive: true })
log(
  `sluice bench: ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}${results.machine.bun === undefined ? '' : `, Bun ${results.machine.bun}`}, load ${loadavg()}`,
)
for (let round = results.roundsDone ?? 0; round < plan.rounds; round++) {
  log(`round ${round + 1}/${plan.rounds} (${Math.round((Date.now() - began) / 1000)} s)`)
  // Saved only once a round is whole: a round cut short would weigh its targets unevenly.
  await runRound(round)
  results.roundsDone = round + 1
  results.seconds = Math.round((Date.now() - began) / 1000)
  writeFileSync(partialFile, `${JSON.stringify(results, null, 2)}\n`)
}
results.machine.load = `${results.machine.load} at start; ${loadavg()} at end`
log(`done in ${results.seconds ?? 0} s`)
writeFileSync(partialFile, `${JSON.stringify(results, null, 2)}\n`)
renameSync(partialFile, finalFile)
log(`results in ${finalFile.pathname}`)
if (plan.report) writeReport(results)
