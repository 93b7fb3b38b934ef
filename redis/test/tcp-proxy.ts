import { connect, createServer, type Socket } from 'node:net'

/** A loopback TCP proxy in front of several servers, as a load balancer would be. */
export interface TcpProxy {
  url: string
  /** The upstream port each accepted connection went to, in order. */
  readonly routed: number[]
  close(): Promise<void>
}

/**
 * Forwards each connection to the first upstream that accepts it; one that refuses a
 * connection (its process is gone) is skipped from then on, so traffic moves to the next.
 */
export async function startTcpProxy(upstreams: number[]): Promise<TcpProxy> {
  const down = new Set<number>()
  const routed: number[] = []
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.once('close', () => sockets.delete(client))
    client.pause() // hold the request bytes until an upstream is connected
    const tryNext = (): void => {
      const port = upstreams.find((candidate) => !down.has(candidate))
      if (port === undefined) return void client.destroy()
      const upstream = connect(port, '127.0.0.1')
      // Before 'connect', an error is the upstream refusing: it is down, try the next one.
      upstream.once('error', () => {
        down.add(port)
        tryNext()
      })
      upstream.once('connect', () => {
        upstream.removeAllListeners('error')
        routed.push(port)
        sockets.add(upstream)
        upstream.once('close', () => sockets.delete(upstream))
        // Either side closing or failing ends the other, as a proxy's dropped backend does.
        upstream.on('error', () => client.destroy())
        client.on('error', () => upstream.destroy())
        upstream.once('close', () => client.destroy())
        client.once('close', () => upstream.destroy())
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
    }
    tryNext()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    routed,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
