import { connect, type Socket } from 'node:net'

/** One HTTP/1.x response read off a raw socket. */
export interface RawResponse {
  status: number
  /** Lowercase names; a repeated header keeps its last value. */
  headers: Record<string, string>
  /** The body as Latin-1 text (one char per byte), chunked framing removed. */
  body: string
  /** Whether its framing says it is whole (a close-delimited body is whole once the peer closed). */
  complete: boolean
}

/**
 * A client socket for what `fetch` cannot send: malformed framing, HTTP/1.0, absolute-form
 * targets, pipelining. Cases write bytes, wait with a bound, then look at what came back.
 */
export class RawConnection {
  private received = ''
  private ended = false
  private readonly waiters = new Set<() => void>()

  private constructor(
    private readonly socket: Socket,
    private readonly base: string,
  ) {
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => this.update(() => (this.received += chunk)))
    // A reset after a refusal is a closed connection too; the error itself tells nothing more.
    socket.on('error', () => undefined)
    socket.on('close', () => this.update(() => (this.ended = true)))
  }

  /** Opens a connection to the host and port of `base` (`http://127.0.0.1:PORT`). */
  static async open(base: string): Promise<RawConnection> {
    return new RawConnection(await openSocket(base), base)
  }

  /** Whether the server closed (or reset) the connection. */
  get closed(): boolean {
    return this.ended
  }

  /** Every response received so far, the last one possibly incomplete. */
  get responses(): RawResponse[] {
    return parseResponses(this.received, this.ended)
  }

  /** Sends bytes as they are written (Latin-1: one char per byte), request targets under the base path. */
  write(text: string): void {
    this.socket.write(rebase(text, this.base), 'latin1')
  }

  /**
   * Waits until `done()` holds or `boundMs` passed, whichever is first; never throws. The
   * bound only turns "never happens" into a failed assertion after it.
   */
  async waitFor(done: (connection: this) => boolean, boundMs: number): Promise<void> {
    if (done(this)) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let check: (() => void) | undefined
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs)
      check = () => {
        if (done(this)) resolve()
      }
      this.waiters.add(check)
    })
    clearTimeout(timer)
    if (check !== undefined) this.waiters.delete(check)
  }

  /** Closes the client side; safe to call twice. */
  destroy(): void {
    this.socket.destroy()
  }

  private update(change: () => void): void {
    change()
    for (const waiter of [...this.waiters]) waiter()
  }
}

/** Splits a byte stream (as Latin-1 text) into HTTP/1.x responses. */
export function parseResponses(text: string, closed: boolean): RawResponse[] {
  const responses: RawResponse[] = []
  let rest = text
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n')
    if (headEnd < 0) break
    const [statusLine = '', ...lines] = rest.slice(0, headEnd).split('\r\n')
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN)
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(':')
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    rest = rest.slice(headEnd + 4)
    const framed = readBody(rest, headers, closed)
    responses.push({ status, headers, body: framed.body, complete: framed.complete })
    if (!framed.complete) break
    rest = rest.slice(framed.used)
  }
  return responses
}

function readBody(
  rest: string,
  headers: Record<string, string>,
  closed: boolean,
): { body: string; complete: boolean; used: number } {
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') return readChunked(rest)
  const length = headers['content-length']
  if (length !== undefined) {
    const size = Number(length)
    return { body: rest.slice(0, size), complete: rest.length >= size, used: size }
  }
  // No framing: the body runs until the server closes (an HTTP/1.0 answer).
  return { body: rest, complete: closed, used: rest.length }
}

function readChunked(rest: string): { body: string; complete: boolean; used: number } {
  let body = ''
  let at = 0
  for (;;) {
    const lineEnd = rest.indexOf('\r\n', at)
    if (lineEnd < 0) return { body, complete: false, used: at }
    const size = parseInt(rest.slice(at, lineEnd), 16)
    if (Number.isNaN(size)) return { body, complete: false, used: at }
    if (size === 0) {
      // The last chunk, any trailer lines, then an empty line.
      const end = rest.indexOf('\r\n\r\n', lineEnd)
      return { body, complete: end >= 0, used: end < 0 ? rest.length : end + 4 }
    }
    if (rest.length < lineEnd + 2 + size + 2) return { body, complete: false, used: at }
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size)
    at = lineEnd + 2 + size + 2
  }
}

// Request lines, origin-form (`GET /health`) or absolute-form (`GET http://host/health`).
const REQUEST_LINE = /^([A-Z]+) (https?:\/\/[^/\s]+)?\//gm

/**
 * Puts every request line's target under `base`'s path: a fixture may be mounted under one
 * (Hono's `mount('/api', ...)`, a Next.js route folder), and raw requests must reach it there.
 */
export function rebase(text: string, base: string): string {
  const path = new URL(base).pathname.replace(/\/$/, '')
  return path === ''
    ? text
    : text.replace(REQUEST_LINE, (_, method: string, origin = '') => `${method} ${origin}${path}/`)
}

/** A plain TCP connection to the host and port of `base`, once it is connected. */
export async function openSocket(base: string): Promise<Socket> {
  const { hostname, port } = new URL(base)
  const socket = connect(Number(port), hostname)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return socket
}
