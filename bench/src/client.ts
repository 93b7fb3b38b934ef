// The bench's own SSE load client, a process of its own (the runner forks it with IPC). It
// speaks HTTP/1.1 over `net` with a small chunked decoder, splits the body into SSE frames,
// counts the frames that carry the scenario's marker and reads the publish time inside each
// fan-out event. `fetch` and EventSource would cost more than the servers under test.
import { connect, type Socket } from 'node:net'
import { nowMicros } from './hub'

const CRLF2 = Buffer.from('\r\n\r\n')
const FRAME_END = Buffer.from('\n\n')
const MARK_I = Buffer.from('"i":')
const MARK_T = Buffer.from('"t":')
const SOURCE_ADDRESSES = 16 // 127.0.0.2..17: 10k connections and their TIME_WAITs spread over ports

let latencies = new Float64Array(1 << 22)
let latencyCount = 0
let deliveries = 0
let measuring = false
let nextSource = 0
let failures = 0

interface Connection {
  socket: Socket
  headers: Promise<void>
  ended: Promise<void>
}

/** Opens one SSE request; `onFrame` sees each complete frame (bytes between blank lines). */
function open(port: number, path: string, onFrame: (frame: Buffer) => void): Connection {
  const localAddress = `127.0.0.${2 + (nextSource++ % SOURCE_ADDRESSES)}`
  const socket = connect({ port, host: '127.0.0.1', localAddress, noDelay: true })
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`)
  let head: Buffer | undefined = Buffer.alloc(0)
  let chunked = false
  let size = -1 // bytes left in the current chunk; -1 while reading a size line
  let sizeLine = ''
  let skip = 0 // CRLF after a chunk's data
  let pending: Buffer | undefined
  let onHeaders!: () => void
  let onEnd!: () => void
  const headers = new Promise<void>((resolve) => (onHeaders = resolve))
  const ended = new Promise<void>((resolve) => (onEnd = resolve))
  const body = (data: Buffer): void => {
    let buffer = pending === undefined ? data : Buffer.concat([pending, data])
    let start = 0
    for (;;) {
      const end = buffer.indexOf(FRAME_END, start)
      if (end < 0) break
      onFrame(buffer.subarray(start, end))
      start = end + 2
    }
    pending = start === buffer.length ? undefined : Buffer.from(buffer.subarray(start))
    buffer = data
  }
  const dechunk = (data: Buffer): void => {
    let at = 0
    while (at < data.length) {
      if (skip > 0) {
        const n = Math.min(skip, data.length - at)
        skip -= n
        at += n
      } else if (size < 0) {
        const nl = data.indexOf(10, at)
        if (nl < 0) {
          sizeLine += data.toString('latin1', at)
          return
        }
        sizeLine += data.toString('latin1', at, nl)
        at = nl + 1
        size = Number.parseInt(sizeLine, 16)
        sizeLine = ''
        if (size === 0) {
          socket.destroy()
          return onEnd()
        }
      } else {
        const n = Math.min(size, data.length - at)
        body(data.subarray(at, at + n))
        at += n
        size -= n
        if (size === 0) {
          size = -1
          skip = 2
        }
      }
    }
  }
  socket.on('data', (data: Buffer) => {
    if (head === undefined) return chunked ? dechunk(data) : body(data)
    head = Buffer.concat([head, data])
    const end = head.indexOf(CRLF2)
    if (end < 0) return
    const text = head.toString('latin1', 0, end).toLowerCase()
    if (!text.startsWith('http/1.1 200')) {
      // Not a stream (a 4xx or 5xx): counted as not open by the caller.
      failures++
      socket.destroy()
      return
    }
    chunked = text.includes('transfer-encoding: chunked')
    const rest = head.subarray(end + 4)
    head = undefined
    onHeaders()
    if (rest.length > 0) (chunked ? dechunk : body)(rest)
  })
  socket.on('error', () => undefined)
  socket.on('close', () => {
    onHeaders()
    onEnd()
  })
  return { socket, headers, ended }
}

function readMicros(frame: Buffer): number {
  const at = frame.indexOf(MARK_T)
  if (at < 0) return -1
  let value = 0
  for (let i = at + 4; i < frame.length; i++) {
    const c = frame[i] as number
    if (c < 48 || c > 57) break
    value = value * 10 + (c - 48)
  }
  return value
}

let total = 0
const onFanout = (frame: Buffer): void => {
  total++
  if (!measuring) return
  const sent = readMicros(frame)
  if (sent < 0) return
  deliveries++
  if (latencyCount < latencies.length) latencies[latencyCount++] = nowMicros() - sent
}

let held: Connection[] = []

async function flood(port: number, path: string): Promise<{ events: number; ms: number }> {
  let events = 0
  let first = 0
  const connection = open(port, path, (frame) => {
    if (first === 0) first = nowMicros()
    if (frame.indexOf(MARK_I) >= 0) events++
  })
  await connection.ended
  return { events, ms: (nowMicros() - first) / 1000 }
}

// Opens `count` streams, `wave` at a time, and keeps them; resolves once all have headers.
async function hold(port: number, path: string, count: number, wave: number): Promise<number> {
  for (let i = 0; i < count; i += wave) {
    const batch = Array.from({ length: Math.min(wave, count - i) }, () => open(port, path, onFanout))
    await Promise.all(batch.map((c) => c.headers))
    held.push(...batch)
  }
  const alive = held.filter((c) => !c.socket.destroyed).length
  if (failures > 0) console.error(`client: ${failures} requests were not answered 200`)
  return alive
}

async function closeAll(): Promise<void> {
  const closing = held.map((c) => c.ended)
  for (const c of held) c.socket.destroy()
  await Promise.all(closing)
  held = []
}

// Connects and disconnects `total` streams, `wave` at a time: each waits for its headers.
async function cycles(port: number, path: string, total: number, wave: number): Promise<number> {
  let done = 0
  while (done < total) {
    const batch = Array.from({ length: Math.min(wave, total - done) }, () =>
      open(port, path, () => undefined),
    )
    await Promise.all(batch.map((c) => c.headers))
    for (const c of batch) c.socket.destroy()
    await Promise.all(batch.map((c) => c.ended))
    done += batch.length
  }
  return done
}

function stopMeasuring(): { deliveries: number; p50: number; p99: number; max: number } {
  measuring = false
  const sorted = latencies.subarray(0, latencyCount).sort()
  const at = (q: number): number =>
    sorted.length === 0
      ? 0
      : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) / 1000
  return { deliveries, p50: at(0.5), p99: at(0.99), max: at(1) }
}

type Command =
  | { cmd: 'flood'; port: number; path: string }
  | { cmd: 'hold'; port: number; path: string; count: number; wave: number }
  | { cmd: 'close-all' }
  | { cmd: 'cycles'; port: number; path: string; total: number; wave: number }
  | { cmd: 'measure-start' }
  | { cmd: 'measure-stop' }
  | { cmd: 'total' }

process.on('message', (message: { id: number } & Command) => {
  const answer = async (): Promise<unknown> => {
    switch (message.cmd) {
      case 'flood':
        return flood(message.port, message.path)
      case 'hold':
        return hold(message.port, message.path, message.count, message.wave)
      case 'close-all':
        return closeAll()
      case 'cycles':
        return cycles(message.port, message.path, message.total, message.wave)
      case 'measure-start':
        deliveries = 0
        latencyCount = 0
        measuring = true
        return null
      case 'measure-stop':
        return stopMeasuring()
      case 'total':
        return total
    }
  }
  answer().then(
    (value) => process.send?.({ id: message.id, value }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  )
})
process.send?.({ ready: true })
