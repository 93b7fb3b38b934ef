import { createRequire } from 'node:module'
import { closeApp, type App, type CloseOptions } from '@sluice/core'
import { attachUws } from '@sluice/uws'
import type * as UWS from 'uWebSockets.js'
import type { Running } from './running'

// Loaded on first use, so the other runtimes' suites never load the native addon.
const loadUws = (): typeof UWS => createRequire(import.meta.url)('uWebSockets.js') as typeof UWS

/** Serves an app on uWebSockets.js for the fixture and the suite. */
export function serveUws(app: App, port: number): Promise<Running> {
  const uWS = loadUws()
  const uwsApp = attachUws(uWS.App(), app)
  return new Promise((resolve, reject) => {
    uwsApp.listen('127.0.0.1', port, (listenSocket) => {
      if (listenSocket === false) {
        reject(new Error(`uWS could not listen on 127.0.0.1:${port}`))
        return
      }
      // Port 0 picks a free port; uWS tells which only through the listen socket.
      const url = `http://127.0.0.1:${uWS.us_socket_local_port(listenSocket)}`
      const close = async (options?: CloseOptions): Promise<void> => {
        uWS.us_listen_socket_close(listenSocket)
        await closeApp(app, options)
        // Streams hold their connections open; closing them fires each response's onAborted,
        // which aborts the stream so its generator's `finally` runs. `close()` exists in this
        // uWS build but not in its d.ts.
        ;(uwsApp as typeof uwsApp & { close(): void }).close()
      }
      resolve({ url, close })
    })
  })
}
