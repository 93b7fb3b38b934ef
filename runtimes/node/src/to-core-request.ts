import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { WireError, type CoreRequest } from '@sluice/core/adapter'

/**
 * Converts a node:http request into core's neutral request. The signal fires when the
 * connection closes before the response finished, i.e. when the client went away. It is made
 * on first read, so a request whose handler never looks at it costs no AbortController.
 */
export function toCoreRequest(req: IncomingMessage, res: ServerResponse): CoreRequest {
  return new NodeCoreRequest(req, res)
}

// A class rather than a literal: its getter and `body` live on the prototype, so a request
// costs one object, not a closure each. Express and Fastify set `body` / `parsedBody` on it.
class NodeCoreRequest implements CoreRequest {
  readonly method: string
  readonly url: string
  // node:http already lowercases names and joins repeats with ', '; only Set-Cookie stays an
  // array, and it has no meaning on a request.
  readonly headers: Record<string, string | undefined>
  readonly httpVersion: string
  parsedBody?: { value: unknown }
  private controller: AbortController | undefined
  private read: Promise<Uint8Array> | undefined

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.method = req.method ?? 'GET'
    this.url = req.url ?? '/'
    this.headers = req.headers as Record<string, string | undefined>
    this.httpVersion = req.httpVersion
  }

  body(maxBytes: number): Promise<Uint8Array> {
    return (this.read ??= readBody(this.req, maxBytes))
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = (this.controller = new AbortController())
      this.onClose((reason) => controller.abort(reason))
    }
    return this.controller.signal
  }

  // A reset rather than an end: the kernel frees what the socket holds for a client that does
  // not read at once, where a FIN would wait behind it. A queued response goes with its turn.
  drop(): void {
    const { socket } = this.res
    if (socket === null) this.res.destroy()
    else socket.resetAndDestroy()
  }

  // The client is gone once the response closed without finishing: already, or later.
  onClose(listener: (reason: unknown) => void): void {
    const { res } = this
    const connection = queuedOn(res)
    if (res.closed || connection?.destroyed === true) {
      if (!res.writableFinished) listener(clientClosed())
    } else if (connection === undefined) {
      // `on`, not `once`: `close` comes once, and `once` would wrap the listener in two more
      // objects, held by every idle stream.
      res.on('close', () => {
        if (!res.writableFinished) listener(clientClosed())
      })
    } else new QueuedClose(res, connection, listener).watch()
  }
}

/**
 * The connection a response waits for while it is queued behind another one on it (HTTP/1.1
 * pipelining); `undefined` once the response has the connection to itself. Node emits no
 * `close` on a queued response when that connection goes, so whoever waits for one watches
 * the connection too.
 */
export function queuedOn(res: ServerResponse): Socket | undefined {
  return res.socket === null ? res.req.socket : undefined
}

// A queued response hears of the client leaving from its connection (it may never get a
// `close` of its own), or from its own `close` once its turn came; whichever is first, once.
class QueuedClose {
  constructor(
    private readonly res: ServerResponse,
    private readonly connection: Socket,
    private readonly listener: (reason: unknown) => void,
  ) {}

  private readonly closed = (): void => {
    this.res.off('close', this.closed)
    this.connection.off('close', this.closed)
    if (!this.res.writableFinished) this.listener(clientClosed())
  }

  watch(): void {
    this.res.once('close', this.closed)
    this.connection.once('close', this.closed)
  }
}

function clientClosed(): WireError {
  return new WireError('CLIENT_CLOSED', 'The client went away')
}

/** Reads a request body into one buffer, refusing (413) past `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'])
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength
      if (size > maxBytes) {
        // Stop reading; the 413 goes out with `Connection: close` and the socket ends.
        cleanup()
        req.pause()
        reject(tooLarge(maxBytes))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const cleanup = (): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** The 413 every Node adapter answers past the body limit, also for a body a framework already read. */
export function tooLarge(maxBytes: number): WireError {
  return new WireError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`, {
    details: { limit: maxBytes },
  })
}
