import { connect, createServer, type Socket } from 'node:net'

/** A loopback TCP proxy whose open connections can go silent, as a dead NAT flow does. */
export interface StallProxy {
  url: string
  /** From now on, the connections open so far forward nothing either way; neither side is closed. */
  stall(): void
  close(): Promise<void>
}

/** Starts a proxy in front of `target` (`http://127.0.0.1:PORT/prefix`); new connections always forward. */
export async function startStallProxy(target: string): Promise<StallProxy> {
  const { port, hostname, pathname } = new URL(target)
  const sockets = new Set<Socket>()
  const live = new Set<{ stalled: boolean }>()
  const server = createServer((client) => {
    const flow = { stalled: false }
    live.add(flow)
    const upstream = connect(Number(port), hostname)
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from)
      // A stalled flow drops its bytes on the floor: no FIN, no RST, just silence.
      from.on('data', (chunk) => flow.stalled || to.write(chunk))
      from.on('error', () => undefined)
      // Before the stall, either side closing closes the other, as a proxy does.
      from.once('close', () => {
        sockets.delete(from)
        if (!flow.stalled) to.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port')
  return {
    // The target's path too: an app mounted under a prefix (Hono's) answers there.
    url: `http://127.0.0.1:${address.port}${pathname.replace(/\/$/, '')}`,
    stall: () => {
      for (const flow of live) flow.stalled = true
      live.clear()
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
