import { closeApp, type App } from '@sluice/core'
import { attachUws } from '@sluice/uws'
import uWS from 'uWebSockets.js'

/** A running server: its URL, and `close`, which also ends open streams. */
export interface Running {
  url: string
  close(): Promise<void>
}

/** Serves the app on uWebSockets.js: one catch-all route next to the app's own, more specific ones. */
export function startServer(app: App, options: { port?: number; host?: string } = {}): Promise<Running> {
  const server = uWS.App()
  server.get('/', (res) => {
    res.end('sluice on uWebSockets.js: try GET /status, GET /metrics/live or POST /builds\n')
  })
  attachUws(server, app) // sluice answers everything else, its own 404 and 405 included
  const host = options.host ?? '127.0.0.1'
  return new Promise((resolve, reject) => {
    server.listen(host, options.port ?? 3000, (socket) => {
      if (socket === false) {
        reject(new Error(`uWS could not listen on ${host}:${options.port ?? 3000}`))
        return
      }
      // Port 0 picks a free port; only the listen socket knows which.
      const url = `http://${host}:${uWS.us_socket_local_port(socket)}`
      const close = async (): Promise<void> => {
        uWS.us_listen_socket_close(socket)
        // New requests get 503; open streams get a final `retry:` and end, their `finally` run.
        await closeApp(app)
        // Drops the connections left; in uWS 20.30 but not in its d.ts.
        ;(server as uWS.TemplatedApp & { close(): void }).close()
      }
      resolve({ url, close })
    })
  })
}
