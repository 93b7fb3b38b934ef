// Dev aid: core's stream open alone (open, one event, end), read as an adapter reads it, in a
// loop; for a CPU profile: bundle as stream-cost.ts's header shows, run with --cpu-prof
// (add --expose-gc for the heap after each round). `ROUNDS=N`, and the count as the argument.
import * as core from '@sluice/core'
import { createHandler, type CoreRequest } from '@sluice/core/adapter'

const app = core.createApp({ sse: { heartbeatMs: 0 }, onError: () => undefined })
const one = core.defineFunction({
  async *func() {
    yield { i: 1 }
  },
})
core.wireHTTP(app, { method: 'get', route: '/one', func: one })
const handle = createHandler(app)
const signal = new AbortController().signal
const request: CoreRequest = {
  method: 'GET',
  url: '/one',
  headers: { host: '127.0.0.1', accept: 'text/event-stream' },
  httpVersion: '1.1',
  body: () => Promise.resolve(new Uint8Array()),
  signal,
  onClose: () => undefined,
}
const n = Number(process.argv[2] ?? 50_000)
for (let round = 0; round < Number(process.env.ROUNDS ?? 5); round++) {
  const started = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const { body } = await handle(request)
    for await (const _ of body as AsyncIterable<string>);
    // A server's loop turns between requests: what a stream left for a later turn runs.
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve))
  }
  const used = process.cpuUsage(started)
  globalThis.gc?.()
  console.log(
    `open, 1 event: ${((used.user + used.system) / n).toFixed(2)} µs CPU/stream, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB`,
  )
}
