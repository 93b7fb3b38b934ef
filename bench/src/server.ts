// One bench target as a process of its own: `node --expose-gc --import tsx server.ts <target> <port>`.
// The runner talks to it over IPC: it answers `ready`, CPU and memory readings, and runs the
// fan-out publisher, so no framework needs a route of the bench's own.
import { writeHeapSnapshot } from 'node:v8'
import { nowMicros } from './hub'
import { servers } from './servers/index'

const [name = '', portText = '0'] = process.argv.slice(2)
const start = servers[name]
if (start === undefined) throw new Error(`unknown target ${name}`)
const server = await start(Number(portText))

type Command =
  | { cmd: 'cpu' }
  | { cmd: 'mem' }
  | { cmd: 'subscribers' }
  | { cmd: 'publish'; rate: number; ms: number }
  | { cmd: 'snapshot'; file: string }
  | { cmd: 'exit' }

const gc = (globalThis as { gc?: () => void }).gc
const reply = (id: number, value: unknown): void => void process.send?.({ id, value })

process.on('message', (message: { id: number } & Command) => {
  const { id } = message
  switch (message.cmd) {
    case 'cpu':
      return reply(id, process.cpuUsage())
    case 'mem':
      for (let i = 0; i < 4; i++) gc?.()
      return reply(id, process.memoryUsage())
    case 'subscribers':
      return reply(id, server.subscribers())
    case 'publish':
      return void publish(message.rate, message.ms).then((sent) => reply(id, sent))
    case 'snapshot':
      gc?.()
      return reply(id, writeHeapSnapshot(message.file))
    case 'exit':
      void Promise.resolve(server.close()).finally(() => process.exit(0))
  }
})

// Publishes `rate` messages a second for `ms`, each stamped with its publish time. Rate 0
// means as fast as the server can: one message per turn of the event loop (setImmediate), so
// I/O still runs between publishes and a slower server simply publishes less.
async function publish(rate: number, ms: number): Promise<number> {
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

process.send?.({ ready: true })
