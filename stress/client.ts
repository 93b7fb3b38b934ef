/**
 * The stress load client: raw `net` sockets speaking just enough HTTP/1.1, in a process of its
 * own so its work never shows up in the server's event-loop delay. Driven over IPC.
 */
import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { num, serveRpc, str } from './rpc'

interface Held {
  socket: Socket
  opened: boolean
  pings: number
  events: number
  // The end of the previous chunk, so a marker split across two chunks is still counted.
  tail: string
}

const OPEN = ': sluice stream open'
const PING = ': ping'
const DATA = 'data: '
const held: Held[] = []

function request(path: string, port: number, keepAlive: boolean): string {
  const connection = keepAlive ? 'keep-alive' : 'close'
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nConnection: ${connection}\r\n\r\n`
}

/** Occurrences of `marker` in `tail + chunk` that end inside `chunk` (counted once each). */
function count(tail: string, chunk: string, marker: string): number {
  const text = tail + chunk
  let found = 0
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
    if (at + marker.length > tail.length) found++
  }
  return found
}

/** Connects, sends the request, resolves once `marker` arrived, then destroys the socket. */
function cycle(port: number, path: string, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let seen = ''
    const timer = setTimeout(() => socket.destroy(new Error(`no ${marker} within 10 s`)), 10_000)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(request(path, port, true)))
    socket.on('data', (chunk: string) => {
      seen += chunk
      if (seen.includes(marker)) socket.destroy()
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      if (seen.includes(marker)) resolve()
      else reject(new Error(`connection closed before ${marker}: ${seen.slice(0, 200)}`))
    })
  })
}

/** Runs `total` tasks with at most `concurrency` at a time. */
async function pool(total: number, concurrency: number, task: () => Promise<void>): Promise<void> {
  let started = 0
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++
      await task()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker))
}

function open(port: number, path: string): Promise<Held> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const entry: Held = { socket, opened: false, pings: 0, events: 0, tail: '' }
    const timer = setTimeout(() => socket.destroy(new Error('stream did not open within 20 s')), 20_000)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(request(path, port, true)))
    socket.on('data', (chunk: string) => {
      entry.pings += count(entry.tail, chunk, PING)
      entry.events += count(entry.tail, chunk, DATA)
      if (!entry.opened && count(entry.tail, chunk, OPEN) > 0) {
        entry.opened = true
        clearTimeout(timer)
        resolve(entry)
      }
      entry.tail = (entry.tail + chunk).slice(-32)
    })
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

serveRpc({
  // Connect, read the marker, disconnect: `count` times, `concurrency` at a time.
  cycles: async (args) => {
    const port = num(args, 'port')
    const path = str(args, 'path')
    const marker = str(args, 'marker')
    const started = performance.now()
    await pool(num(args, 'count'), num(args, 'concurrency'), () => cycle(port, path, marker))
    return { ms: performance.now() - started }
  },
  // Opens `count` streams in batches of `batch`, each batch waiting until its streams opened.
  open: async (args) => {
    const port = num(args, 'port')
    const path = str(args, 'path')
    const total = num(args, 'count')
    const batch = num(args, 'batch')
    const started = performance.now()
    for (let done = 0; done < total; done += batch) {
      const size = Math.min(batch, total - done)
      held.push(...(await Promise.all(Array.from({ length: size }, () => open(port, path)))))
    }
    return { ms: performance.now() - started, open: held.length }
  },
  // Waits until every held stream got `pings` pings and `events` events, or `timeoutMs` passed.
  wait: async (args) => {
    const pings = num(args, 'pings')
    const events = num(args, 'events')
    const deadline = performance.now() + num(args, 'timeoutMs')
    const started = performance.now()
    const behind = (): number => held.filter((h) => h.pings < pings || h.events < events).length
    while (behind() > 0 && performance.now() < deadline) await sleep(5)
    return { ms: performance.now() - started, behind: behind(), held: held.length }
  },
  closeAll: async () => {
    const closing = held.map((h) => new Promise((resolve) => h.socket.once('close', resolve)))
    for (const h of held) h.socket.destroy()
    await Promise.all(closing)
    held.length = 0
    return null
  },
})

process.send?.({ ready: true })
