import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { createFixtureApp } from '@sluice/conformance/fixture'
import { processRuntimes, spawnWorker } from '@sluice/conformance/process-runtimes'
import { runConformance } from '@sluice/conformance/suite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// workerd itself (npm `workerd`, compatibility date 2026-11-17), the fixture bundled by esbuild.
// Each reason below was measured on it.
runConformance({
  runtime: 'workerd',
  serve: processRuntimes.workerd,
  cannot: {
    'GET /memory reports the server process memory':
      'process.memoryUsage() answers rss 0 and heapUsed 0: a Worker cannot see its memory',
    'a client that reads nothing does not grow server memory without bound':
      'rss reads 0 there, so growth cannot be measured; the slow-consumer case proves the pulls stop',
    'GET /count streams ids 1..N then done, with the SSE headers':
      'workerd drops the hop-by-hop Connection header (keep-alive) core sets; the rest of the case holds',
    'a generator stuck on a promise is released through signal when the client leaves':
      'workerd sees a client leave only on its next write (request.signal and cancel both stay silent on a quiet stream); with heartbeats it is released at the next ping, see below',
    'each event arrives before the generator takes its next step':
      'a promise resolved by another request (/release opens the gate of /gated) is not supported: workerd cancels the waiting request as hung ("your Worker\'s code had hung"); a channel or hub fed by another request has the same limit',
    'concurrent idle streams each get heartbeats, also after the first one left':
      "core's one shared heartbeat interval belongs to the request that started it; workerd does not run it for another request's stream, which it then cancels as hung",
    'close() ends every stream with a jittered retry, no done, and runs every finally':
      'a Worker has no shutdown hook: stopping workerd drops its streams, so closeApp cannot be reached',
  },
})

// What workerd does instead of the declined case above: the next heartbeat's write finds the
// client gone, which aborts request.signal (compatibility flag enable_request_signal, a default
// from 2026-11-17) and cancels the body, so the stuck generator's `finally` runs.
describe('workerd: a quiet stream learns of a departed client at its next heartbeat', () => {
  let running: Awaited<ReturnType<typeof processRuntimes.workerd>> | undefined
  beforeAll(async () => {
    running = await processRuntimes.workerd(createFixtureApp({ heartbeatMs: 100 }), 0)
  })
  afterAll(() => running?.close())

  it('a generator stuck on a promise is released through signal within a second', async () => {
    const base = running?.url ?? ''
    const tag = `hang-${Math.random().toString(36).slice(2)}`
    const controller = new AbortController()
    const response = await fetch(`${base}/hang?tag=${tag}`, { signal: controller.signal })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    let text = ''
    while (!text.includes('data:')) text += new TextDecoder().decode((await reader.read()).value)
    controller.abort()
    const deadline = Date.now() + 1000
    let finalized = false
    while (!finalized && Date.now() < deadline) {
      finalized = ((await (await fetch(`${base}/finalized?tag=${tag}`)).json()) as { finalized: boolean })
        .finalized
      if (!finalized) await sleep(20)
    }
    expect(finalized).toBe(true)
  })
})

// The fixture validates with zod; JSON-Schema routes are what workerd cannot run, measured here.
describe('workerd: JSON-Schema routes', () => {
  it('cannot be wired: ajv compiles validators with new Function, which workerd forbids', async () => {
    const worker = await spawnWorker(fileURLToPath(new URL('./json-schema.worker.ts', import.meta.url)))
    try {
      const answer = (await (await fetch(worker.url)).json()) as { wired: boolean; error?: string }
      expect(answer).toEqual({
        wired: false,
        error: 'EvalError: Code generation from strings disallowed for this context',
      })
    } finally {
      await worker.close()
    }
  })
})
