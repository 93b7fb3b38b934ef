// Typed structurally: the bench is compiled against Node's types. https://bun.com/docs/api/http
declare const Bun: {
  serve(options: {
    port: number
    hostname: string
    idleTimeout: number
    fetch: (request: Request) => Response | Promise<Response>
  }): { stop(closeActiveConnections?: boolean): Promise<void> }
}

/** Serves `fetch` with `Bun.serve` on 127.0.0.1 and returns its close. */
export function bunServe(
  port: number,
  fetch: (request: Request) => Response | Promise<Response>,
): () => void {
  // Bun closes a connection after `idleTimeout` seconds without bytes (default 10), which would
  // cut the idle and fan-out streams; 0 turns it off.
  const server = Bun.serve({ port, hostname: '127.0.0.1', idleTimeout: 0, fetch })
  return () => void server.stop(true)
}
