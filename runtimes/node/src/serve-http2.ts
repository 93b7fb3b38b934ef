import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  constants,
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type SecureServerOptions,
} from 'node:http2'
import type { AddressInfo, Socket } from 'node:net'
import {
  closeApp,
  createHandler,
  WireError,
  type App,
  type CloseOptions,
  type CoreRequest,
  type Served,
} from '@sluice/core/adapter'
import { sendHttp2Response } from './send-http2-response'
import { readBody, toCoreRequest as toHttp1CoreRequest } from './to-core-request'
import { sendCoreResponse } from './send-core-response'

/** TLS options of an HTTP/2 server: at least `key` and `cert` (PEM). HTTP/1.1 is always allowed too. */
export type Http2Options = Omit<SecureServerOptions, 'allowHTTP1'> &
  Required<Pick<SecureServerOptions, 'key' | 'cert'>>

/** A running HTTP/2 server: `Served` with its `https://` URL, and the server itself. */
export interface ServedHttp2 extends Served {
  server: Http2SecureServer
}

/**
 * Serves an app on `node:http2` over TLS, HTTP/1.1 allowed for clients without h2 (ALPN picks).
 * Browsers open one h2 connection per origin and run every stream on it, so a page is no
 * longer held to HTTP/1.1's 6 connections, i.e. 6 open streams.
 */
export function serveHttp2(
  app: App,
  options: { port?: number; host?: string; http2: Http2Options },
): Promise<ServedHttp2> {
  const handle = createHandler(app)
  const server = createSecureServer({ ...options.http2, allowHTTP1: true }, (req, res) => {
    // With allowHTTP1 an HTTP/1.1 client arrives as node:http's own request and response.
    const h1 = req.httpVersionMajor !== 2
    const core = h1
      ? toHttp1CoreRequest(req as unknown as IncomingMessage, res as unknown as ServerResponse)
      : new Http2CoreRequest(req, res)
    handle(core)
      .then((response) =>
        h1 ? sendCoreResponse(res as unknown as ServerResponse, response) : sendHttp2Response(res, response),
      )
      .catch((error: unknown) => {
        console.error('sluice: could not send the response:', error)
        if (h1) (res as unknown as ServerResponse).destroy()
        else res.stream.close(constants.NGHTTP2_INTERNAL_ERROR)
      })
  })
  // Every TLS connection, h2 or HTTP/1.1, so `close` can drop what the grace period left open.
  const sockets = new Set<Socket>()
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      const { address, port } = server.address() as AddressInfo
      const host = address.includes(':') ? `[${address}]` : address
      const close = (closing?: CloseOptions): Promise<void> => closeHttp2(server, app, sockets, closing)
      resolve({ server, url: `https://${host}:${port}`, port, close })
    })
  })
}

// An h2 request for core: its pseudo-headers (`:path`, `:authority`) are not headers, and the
// client leaving is the stream closing unfinished, e.g. on RST_STREAM (a tab closed, `abort()`).
class Http2CoreRequest implements CoreRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string | undefined> = {}
  readonly httpVersion = '2.0'
  private controller: AbortController | undefined
  private read: Promise<Uint8Array> | undefined

  constructor(
    private readonly req: Http2ServerRequest,
    private readonly res: Http2ServerResponse,
  ) {
    this.method = req.method
    this.url = req.url
    for (const [name, value] of Object.entries(req.headers)) {
      if (!name.startsWith(':')) this.headers[name] = Array.isArray(value) ? value.join(', ') : value
    }
  }

  body(maxBytes: number): Promise<Uint8Array> {
    // readBody uses what both requests share: `headers`, data/end/error events and `pause`.
    return (this.read ??= readBody(this.req as unknown as IncomingMessage, maxBytes))
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = (this.controller = new AbortController())
      this.onClose((reason) => controller.abort(reason))
    }
    return this.controller.signal
  }

  // Gone: the peer reset the stream ('aborted', or a close with an error code), or the stream
  // closed before the response ended (undici's abort closes it with NO_ERROR, measured).
  onClose(listener: (reason: unknown) => void): void {
    const { res } = this
    const { stream } = res
    let told = false
    const tell = (): void => {
      if (!told) listener(clientClosed())
      told = true
    }
    const gone = (): boolean => stream.rstCode !== constants.NGHTTP2_NO_ERROR || !res.writableEnded
    if (stream.closed) {
      if (gone()) tell()
      return
    }
    stream.once('aborted', tell)
    stream.once('close', () => gone() && tell())
  }
}

function clientClosed(): WireError {
  return new WireError('CLIENT_CLOSED', 'The client went away')
}

// The app first: `server.close()` sends every session a GOAWAY, which clients (undici) take as
// the end of their open streams before the final `retry:` reached them. Then each session ends
// once its frames are out; a connection that still holds unsent bytes after a second (a client
// that does not read) is dropped.
async function closeHttp2(
  server: Http2SecureServer,
  app: App,
  sockets: Set<Socket>,
  options?: CloseOptions,
): Promise<void> {
  await closeApp(app, options)
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  const timer = setTimeout(() => sockets.forEach((socket) => socket.destroy()), DROP_AFTER_MS)
  await closed
  clearTimeout(timer)
}

const DROP_AFTER_MS = 1000
