import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { expect } from 'vitest'
import { collectEvents, json, readFrames } from '../sse-reader'
import type { SuiteContext } from '../suite-context'

const SSE = { accept: 'text/event-stream' }

async function finalized(base: string, tag: string): Promise<boolean> {
  const response = await fetch(`${base}/finalized?tag=${tag}`)
  return ((await response.json()) as { finalized: boolean }).finalized
}

async function memory(base: string): Promise<{ rss: number; heapUsed: number }> {
  return (await (await fetch(`${base}/memory`)).json()) as { rss: number; heapUsed: number }
}

/** Cancellation, backpressure, max duration and resume: what happens around a stream. */
export function lifecycleCases({ url, test }: SuiteContext): void {
  test('aborting a stream runs the generator finally within 1 s', async () => {
    const tag = `abort-${Math.random().toString(36).slice(2)}`
    const controller = new AbortController()
    const response = await fetch(`${url()}/forever?tag=${tag}`, { signal: controller.signal })
    const frames = readFrames(response)
    // Read with next(), not `for await ... break`: a break cancels the body, which closes the
    // connection before the abort below and would test that instead.
    for (let events = 0; events < 3;) if ((await frames.next()).value?.data !== undefined) events++
    expect(await finalized(url(), tag)).toBe(false)
    controller.abort()
    const deadline = Date.now() + 1000
    let done = false
    while (!done && Date.now() < deadline) {
      done = await finalized(url(), tag)
      if (!done) await sleep(20)
    }
    expect(done).toBe(true)
  })

  test('a client that reads nothing does not grow server memory without bound', async () => {
    const base = new URL(url())
    // Measured before connecting: a server that ignores a full socket may have buffered the
    // whole stream before it answers the next request.
    const before = await memory(url())
    // 64 KiB events, 20000 of them: 1.3 GB if the server ignored a full socket.
    const socket = connect(Number(base.port), base.hostname)
    await new Promise<void>((resolve) => socket.once('connect', resolve))
    socket.write(
      `GET ${pathOf(base)}/big?bytes=65536&count=20000 HTTP/1.1\r\nhost: ${base.host}\r\naccept: text/event-stream\r\n\r\n`,
    )
    socket.pause()
    try {
      let peak = before.rss
      for (let i = 0; i < 10; i++) {
        await sleep(100)
        peak = Math.max(peak, (await memory(url())).rss)
      }
      expect(peak - before.rss).toBeLessThan(128 * 1024 * 1024)
    } finally {
      socket.destroy()
    }
  })

  test('a client that stops reading for slowConsumerMs is dropped and its generator returned', async () => {
    const base = new URL(url('slow'))
    const tag = `slow-${Math.random().toString(36).slice(2)}`
    const socket = connect(Number(base.port), base.hostname)
    await new Promise<void>((resolve) => socket.once('connect', resolve))
    socket.write(
      `GET ${pathOf(base)}/big?bytes=65536&count=100000&tag=${tag} HTTP/1.1\r\nhost: ${base.host}\r\naccept: text/event-stream\r\n\r\n`,
    )
    socket.pause()
    try {
      const deadline = Date.now() + 10_000
      let done = false
      while (!done && Date.now() < deadline) {
        done = await finalized(url('slow'), tag)
        if (!done) await sleep(50)
      }
      expect(done).toBe(true)
      // Dropped, not ended: reading again, the client gets what was already on its way, then
      // the connection closes, with no end of the chunked body (which a clean end would send
      // once the socket drained, keeping the connection and its full buffers until then).
      let tail = ''
      socket.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('latin1')).slice(-16)))
      socket.on('error', () => undefined)
      const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)))
      socket.resume()
      expect(await Promise.race([closed, sleep(5000).then(() => false)])).toBe(true)
      expect(tail.endsWith('\r\n0\r\n\r\n')).toBe(false)
    } finally {
      socket.destroy()
    }
  })

  test('a channel burst within maxQueuedEvents arrives whole, then done', async () => {
    const tag = `burst-${Math.random().toString(36).slice(2)}`
    const response = await fetch(`${url()}/burst?tag=${tag}&count=1000`, { headers: SSE })
    const events = await collectEvents(response)
    expect(events.length).toBe(1 + 1000 + 1)
    expect(events.at(-1)).toMatchObject({ event: 'done', data: '{"accepted":1000}' })
  })

  test('a channel past maxQueuedEvents ends the stream without done and aborts the signal', async () => {
    const tag = `overflow-${Math.random().toString(36).slice(2)}`
    const response = await fetch(`${url()}/burst?tag=${tag}&count=5000`, { headers: SSE })
    const events = await collectEvents(response)
    // The first value and 1024 queued sends at most; never a silent gap then a `done`.
    expect(events.length).toBeLessThanOrEqual(1 + 1024)
    expect(events.some((frame) => frame.event === 'done' || frame.event === 'error')).toBe(false)
    expect(await finalized(url(), tag)).toBe(true)
  })

  test('maxDurationMs ends a stream without done', async () => {
    const frames = await collectEvents(await fetch(`${url('short')}/count?to=1000&delayMs=20`))
    expect(frames.length).toBeGreaterThan(0)
    expect(frames.some((frame) => frame.event === 'done' || frame.event === 'error')).toBe(false)
  })

  test('an EventSource-style reconnect with Last-Event-ID resumes with no gap and no duplicate', async () => {
    const seen: number[] = []
    let lastEventId: string | undefined
    let result: unknown
    let connections = 0
    while (result === undefined && connections < 50) {
      connections++
      const headers: Record<string, string> = { accept: 'text/event-stream' }
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId
      for (const frame of await collectEvents(
        await fetch(`${url('short')}/count?to=20&delayMs=20`, { headers }),
      )) {
        if (frame.event === 'done') result = json(frame)
        else {
          seen.push((json(frame) as { i: number }).i)
          lastEventId = frame.id
        }
      }
    }
    expect(connections).toBeGreaterThan(1)
    expect(seen).toEqual(Array.from({ length: 20 }, (_, k) => k + 1))
    expect(result).toEqual({ total: 20 })
  })
}

// A fixture may be mounted under a path (Hono's `mount('/api', ...)`, a Next.js route folder).
function pathOf(base: URL): string {
  return base.pathname.replace(/\/$/, '')
}
