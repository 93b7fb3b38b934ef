// What middleware, observers and a no-op OpenTelemetry span cost per request, measured where
// microseconds are visible: core's handler called in a loop without sockets (the socket
// benchmarks' noise is tens of µs). Interleaved rounds; the median per request is reported.
//
//   node --import tsx bench/src/middleware-cost.ts [--base <dir with an older core/>] [--n 100000]
//
// `--base` compares against another checkout's core (e.g. `git archive <commit> core`), with
// the same requests, for "no middleware costs nothing against today".
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { join, resolve } from 'node:path'
import * as core from '@sluice/core'
import { openTelemetry } from '@sluice/core/otel'
import type { CoreRequest, CoreHandler } from '@sluice/core/adapter'
import { createHandler } from '../../core/src/http/handle-request'

const { values } = parseArgs({
  options: { base: { type: 'string' }, n: { type: 'string' }, rounds: { type: 'string' } },
})
const n = Number(values.n ?? 100_000)
const rounds = Number(values.rounds ?? 7)

type Core = typeof core
type MakeHandler = (app: core.App) => CoreHandler

// One signal for every request, never aborted, and an `onClose` that core uses instead, as
// with the node and uWS adapters: an AbortController per request (about 3 µs here) would be
// most of what the loop measures, and those adapters make none unless asked.
const signal = new AbortController().signal
const onClose = (): void => undefined

function request(url: string): CoreRequest {
  return {
    method: 'GET',
    url,
    headers: { host: '127.0.0.1', accept: '*/*' },
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal,
    onClose,
  }
}

function jsonApp(
  sluice: Core,
  make: MakeHandler,
  options: core.AppOptions = {},
  use = 0,
  adds = false,
): CoreHandler {
  const app = sluice.createApp(options)
  const pass = sluice.defineMiddleware?.({ handle: (_ctx, next) => next() })
  const add = sluice.defineMiddleware?.({ handle: (_ctx, next) => next({ requestId: 'r1' }) })
  const layers = Array.from({ length: use }, () => (adds ? add : pass)!)
  const func = sluice.defineFunction({ func: () => ({ ok: true }) })
  sluice.wireHTTP(app, { method: 'get', route: '/json', func, ...(use > 0 ? { use: layers } : {}) })
  return make(app)
}

function streamApp(sluice: Core, make: MakeHandler, options: core.AppOptions = {}, use = 0): CoreHandler {
  const app = sluice.createApp({ sse: { heartbeatMs: 0 }, ...options })
  const func = sluice.defineFunction({
    async *func() {
      yield { i: 1 }
      yield { i: 2 }
      yield { i: 3 }
      return { total: 3 }
    },
  })
  const pass = sluice.defineMiddleware?.({ handle: (_ctx, next) => next() })
  const layers = Array.from({ length: use }, () => pass!)
  sluice.wireHTTP(app, { method: 'get', route: '/stream', func, ...(use > 0 ? { use: layers } : {}) })
  return make(app)
}

async function perRequest(handle: CoreHandler, url: string, count: number): Promise<number> {
  // CPU time, not wall time: the machine is shared, and another process's turn on the CPU
  // would otherwise count as ours.
  const started = process.cpuUsage()
  for (let i = 0; i < count; i++) {
    const response = await handle(request(url))
    const { body } = response
    if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body)
      for await (const _ of body);
  }
  const used = process.cpuUsage(started)
  return (used.user + used.system) / count
}

async function main(): Promise<void> {
  const cases: [string, CoreHandler, string, number][] = []
  const json = (name: string, handle: CoreHandler): void => void cases.push([name, handle, '/json', n])
  const stream = (name: string, handle: CoreHandler): void =>
    void cases.push([name, handle, '/stream', n / 10])
  const mine = createHandler as MakeHandler
  if (values.base !== undefined) {
    const dir = resolve(values.base)
    const base = (await import(pathToFileURL(join(dir, 'core/src/index.ts')).href)) as Core
    const { createHandler: baseHandler } = (await import(
      pathToFileURL(join(dir, 'core/src/http/handle-request.ts')).href
    )) as { createHandler: MakeHandler }
    json('json: base (before this change)', jsonApp(base, baseHandler))
    stream('stream of 3: base', streamApp(base, baseHandler))
  }
  json('json: no middleware', jsonApp(core, mine))
  json('json: 1 middleware (next())', jsonApp(core, mine, {}, 1))
  json('json: 5 middleware (next())', jsonApp(core, mine, {}, 5))
  json('json: 1 middleware adding vars', jsonApp(core, mine, {}, 1, true))
  json('json: openTelemetry(), no SDK', jsonApp(core, mine, { observers: [openTelemetry()] }))
  json('json: access log to a no-op logger', jsonApp(core, mine, { accessLog: true, logger: silent() }))
  stream('stream of 3: no middleware', streamApp(core, mine))
  stream('stream of 3: 1 middleware (next())', streamApp(core, mine, {}, 1))
  stream('stream of 3: openTelemetry(), no SDK', streamApp(core, mine, { observers: [openTelemetry()] }))
  const results = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (const [, handle, url, count] of cases) await perRequest(handle, url, count / 4) // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, handle, url, count] of cases)
      results.get(name)!.push(await perRequest(handle, url, count))
  }
  console.log(`| case | CPU µs per request, fastest of ${rounds} rounds | median |\n| --- | --- | --- |`)
  for (const [name, times] of results)
    console.log(`| ${name} | ${Math.min(...times).toFixed(2)} | ${median(times).toFixed(2)} |`)
}

function silent(): core.Logger {
  const drop = (): void => undefined
  return { info: drop, warn: drop, error: drop }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

await main()
