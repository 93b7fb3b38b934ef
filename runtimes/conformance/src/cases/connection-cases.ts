import { connect, type Socket } from 'node:net'
import { expect } from 'vitest'
import { collectEvents, json, readFrames } from '../sse-reader'
import { rebase } from '../raw-connection'
import type { SuiteContext } from '../suite-context'

// Long enough for any machine; the bound only turns "never happens" into a clear failure.
const BOUND_MS = 5_000
const SSE = { accept: 'text/event-stream' }

/**
 * An id with every character the id rule allows: each visible ASCII character (0x21-0x7E),
 * and spaces between them, one and two in a row.
 */
export const EVERY_ID_CHARACTER = `a b  ${String.fromCharCode(...Array.from({ length: 94 }, (_, k) => 0x21 + k))}`

/** A raw HTTP/1.x connection: what the server wrote, and whether it closed the socket. */
class RawConnection {
  readonly socket: Socket
  private readonly base: string
  private received = Buffer.alloc(0)
  private closedFlag = false
  private readonly waiters = new Set<() => void>()

  constructor(base: string) {
    this.base = base
    const { hostname, port } = new URL(base)
    this.socket = connect(Number(port), hostname)
    this.socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk])
      this.wake()
    })
    // A write after the server closed may fail: what the server did is read from `closed`.
    this.socket.on('error', () => undefined)
    this.socket.on('close', () => {
      this.closedFlag = true
      this.wake()
    })
  }

  get text(): string {
    return this.received.toString('latin1')
  }

  get closed(): boolean {
    return this.closedFlag
  }

  send(request: string): void {
    this.socket.write(Buffer.from(rebase(request, this.base), 'latin1'))
  }

  /** Waits until `done(text, closed)` holds, at most `BOUND_MS`; returns whether it did. */
  async until(done: (text: string, closed: boolean) => boolean): Promise<boolean> {
    const deadline = Date.now() + BOUND_MS
    while (!done(this.text, this.closed) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer)
          this.waiters.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, deadline - Date.now())
        this.waiters.add(wake)
      })
    }
    return done(this.text, this.closed)
  }

  destroy(): void {
    this.socket.destroy()
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter()
  }
}

/** Whether `text` holds `count` whole responses: chunked (ended by `0\r\n\r\n`) or with a length. */
function responses(text: string): number {
  let found = 0
  let rest = text
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n')
    if (headEnd < 0) return found
    const head = rest.slice(0, headEnd)
    const body = rest.slice(headEnd + 4)
    const length = /^content-length: *(\d+)$/im.exec(head)?.[1]
    let end: number
    if (length !== undefined) end = Number(length) <= body.length ? Number(length) : -1
    else if (/^transfer-encoding: *chunked$/im.test(head)) {
      const last = body.indexOf('\r\n0\r\n\r\n')
      end = last < 0 ? -1 : last + 7
    } else return found // ended by closing: whole only once the socket closed
    if (end < 0) return found
    found++
    rest = body.slice(end)
  }
}

const request = (path: string, headers = ''): string =>
  `GET ${path} HTTP/1.1\r\nhost: sluice.test\r\naccept: text/event-stream\r\n${headers}\r\n`

/** How a stream ends its connection (RFC 9112 §9.6), and ids that come back as `Last-Event-ID`. */
export function connectionCases({ url, test }: SuiteContext): void {
  test('Connection: close: the stream has no keep-alive and the socket closes after done', async () => {
    const connection = new RawConnection(url())
    try {
      connection.send(request('/count?to=3', 'connection: close\r\n'))
      expect(await connection.until((text, closed) => closed || responses(text) === 1)).toBe(true)
      // The server must not take another request on this connection: it closes instead.
      connection.send(request('/health'))
      expect(await connection.until((_, closed) => closed)).toBe(true)
      const head = connection.text.slice(0, connection.text.indexOf('\r\n\r\n'))
      expect(head).toMatch(/^HTTP\/1\.1 200 /)
      expect(head).not.toMatch(/^connection: *keep-alive/im)
      expect(connection.text).toContain('event: done\ndata: {"total":3}\n\n')
      expect(connection.text.match(/^HTTP\/1\.[01] /gm)).toHaveLength(1)
    } finally {
      connection.destroy()
    }
  })

  test('a keep-alive client keeps its connection after a stream', async () => {
    const connection = new RawConnection(url())
    try {
      connection.send(request('/count?to=3'))
      expect(await connection.until((text) => responses(text) === 1)).toBe(true)
      expect(connection.text).not.toMatch(/^connection: *close/im)
      connection.send(request('/health'))
      expect(await connection.until((text) => responses(text) === 2)).toBe(true)
      expect(connection.closed).toBe(false)
      expect(connection.text).toMatch(/\r\n\r\n\{"ok":true\}$/)
    } finally {
      connection.destroy()
    }
  })

  test('an HTTP/1.0 stream arrives whole and the socket closes after done', async () => {
    const connection = new RawConnection(url())
    try {
      connection.send(request('/count?to=3').replace('HTTP/1.1', 'HTTP/1.0'))
      expect(await connection.until((_, closed) => closed)).toBe(true)
      expect(connection.text).toMatch(/^HTTP\/1\.[01] 200 /)
      expect(connection.text).not.toMatch(/^connection: *keep-alive/im)
      expect(connection.text).toContain('event: done\ndata: {"total":3}\n\n')
    } finally {
      connection.destroy()
    }
  })

  test('an id with every allowed character comes back intact as Last-Event-ID', async () => {
    const query = new URLSearchParams({ id: EVERY_ID_CHARACTER }).toString()
    const client = new AbortController()
    const first = await fetch(`${url()}/resume?${query}`, { headers: SSE, signal: client.signal })
    let sent: string | undefined
    for await (const frame of readFrames(first)) {
      if (frame.data === undefined) continue
      expect(json(frame)).toEqual({ sent: EVERY_ID_CHARACTER })
      sent = frame.id
      break
    }
    client.abort()
    expect(sent).toBe(EVERY_ID_CHARACTER)
    const resumed = await fetch(`${url()}/resume?${query}`, {
      headers: { ...SSE, 'last-event-id': sent ?? '' },
    })
    const events = await collectEvents(resumed)
    expect(events.map((e) => [e.event, json(e)])).toEqual([['done', { lastEventId: EVERY_ID_CHARACTER }]])
  })

  test('a Last-Event-ID no stream could have sent is a 400', async () => {
    for (const id of ['a\tb', 'x'.repeat(1025)]) {
      const response = await fetch(`${url()}/resume?id=a`, { headers: { ...SSE, 'last-event-id': id } })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST')
    }
  })

  test('a non-ASCII Last-Event-ID is a 400, not an id that resumes elsewhere', async () => {
    // As UTF-8 (what a browser sends for `é`) and as one Latin-1 byte.
    for (const id of ['\xc3\xa9', 'caf\xe9']) {
      const connection = new RawConnection(url())
      try {
        connection.send(request('/resume?id=a', `connection: close\r\nlast-event-id: ${id}\r\n`))
        expect(await connection.until((_, closed) => closed)).toBe(true)
        expect(connection.text).toMatch(/^HTTP\/1\.1 400 /)
        expect(connection.text).toContain('"code":"BAD_REQUEST"')
      } finally {
        connection.destroy()
      }
    }
  })
}
