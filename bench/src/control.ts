// The runner's side channel into a target process, the same on Node and on Bun: Node's IPC
// channel (`process.send`, JSON serialisation), which Bun speaks too when Node spawns it with
// an `ipc` stdio. It answers CPU and memory readings and runs the fan-out publisher, so no
// framework needs a route of the bench's own.
import { writeHeapSnapshot } from 'node:v8'
import { nowMicros } from './hub'
import type { BenchServer } from './servers/types'

type Command =
  | { cmd: 'cpu' }
  | { cmd: 'mem' }
  | { cmd: 'subscribers' }
  | { cmd: 'publish'; rate: number; ms: number }
  | { cmd: 'snapshot'; file: string }
  | { cmd: 'exit' }

// Node's `gc` with --expose-gc; Bun has no such flag and collects synchronously with Bun.gc(true).
const runtime = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } }
const collect = (): void => (runtime.gc === undefined ? runtime.Bun?.gc(true) : runtime.gc())

/** Answers the runner's commands for `server` over IPC, then tells the runner it is ready. */
export function serveControl(server: BenchServer): void {
  const reply = (id: number, value: unknown): void => void process.send?.({ id, value })
  process.on('message', (message: { id: number } & Command) => {
    const { id } = message
    switch (message.cmd) {
      case 'cpu':
        return reply(id, process.cpuUsage())
      case 'mem':
        for (let i = 0; i < 4; i++) collect()
        return reply(id, process.memoryUsage())
      case 'subscribers':
        return reply(id, server.subscribers())
      case 'publish':
        return void publish(server, message.rate, message.ms).then((sent) => reply(id, sent))
      case 'snapshot':
        collect()
        return reply(id, writeHeapSnapshot(message.file))
      case 'exit':
        void Promise.resolve(server.close()).finally(() => process.exit(0))
    }
  })
  process.send?.({ ready: true })
}

// Publishes `rate` messages a second for `ms`, each stamped with its publish time. Rate 0
// means as fast as the server can: one message per turn of the event loop (setImmediate), so
// I/O still runs between publishes and a slower server simply publishes less.
async function publish(server: BenchServer, rate: number, ms: number): Promise<number> {
  const began = nowMicros()
  const end = began + ms * 1000
  let sent = 0
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowMicros()
      if (now >= end) return resolve()
      const due = rate === 0 ? sent + 1 : Math.floor(((now - began) / 1e6) * rate)
      while (sent < due) server.publish({ t: nowMicros(), s: sent++ })
      if (rate === 0) setImmediate(tick)
      else setTimeout(tick, 1)
    }
    tick()
  })
  return sent
}
