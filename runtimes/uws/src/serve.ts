import { createRequire } from 'node:module'
import {
  closeApp,
  isListenSkipped,
  toListenAddress,
  toServedUrl,
  toSkippedServed,
  type App,
  type CloseOptions,
  type Served,
  type ServeOptions,
} from '@sluice/core/adapter'
import { attachUws, type UwsApp } from './adapter'

/** The `uWS.App()` methods `serve` uses, typed structurally like the rest of this package. */
export interface UwsServerApp extends UwsApp {
  listen(host: string, port: number, callback: (listenSocket: unknown) => void): unknown
}

/** The parts of the uWebSockets.js module `serve` uses. */
export interface UwsModule {
  App(): UwsServerApp
  us_listen_socket_close(listenSocket: unknown): void
  us_socket_local_port(listenSocket: unknown): number
}

/** Options of the uWS `serve`: where, and which uWebSockets.js build to use. */
export interface UwsServeOptions extends ServeOptions {
  /** Your uWebSockets.js module. Default: `uWebSockets.js` as installed in your project. */
  uws?: UwsModule
}

/** Options of `listen`: those of `serve`, and the app whose streams `close` ends gracefully. */
export interface UwsListenOptions extends UwsServeOptions {
  app?: App
}

/** Serves an app on a new `uWS.App()` and resolves once it listens (at once, listening nowhere, under `SLUICE_NO_LISTEN=1`). */
export function serve(app: App, options: UwsServeOptions = {}): Promise<Served> {
  if (isListenSkipped()) return Promise.resolve(toSkippedServed(app, options))
  return listen(attachUws(loadUws(options).App(), app), { ...options, app })
}

/**
 * Listens with any `uWS.App()` (yours, with your own routes and `attachUws` or a
 * `createUwsHandler` route), with a graceful `close`.
 */
export function listen(uwsApp: UwsServerApp, options: UwsListenOptions = {}): Promise<Served> {
  const { app } = options
  const { port, host } = toListenAddress(options)
  if (isListenSkipped()) {
    if (app !== undefined) return Promise.resolve(toSkippedServed(app, options))
    return Promise.resolve({ url: toServedUrl(host, port), port, close: () => Promise.resolve() })
  }
  const uWS = loadUws(options)
  return new Promise((resolve, reject) => {
    uwsApp.listen(host, port, (listenSocket) => {
      if (listenSocket === false) {
        reject(new Error(`uWS could not listen on ${host}:${port} (is the port taken?)`))
        return
      }
      // Port 0 picks a free port; uWS tells which only through the listen socket.
      const bound = uWS.us_socket_local_port(listenSocket)
      const close = async (closing?: CloseOptions): Promise<void> => {
        uWS.us_listen_socket_close(listenSocket)
        if (app !== undefined) await closeApp(app, closing)
        // Streams hold their connections open; closing them fires each response's onAborted,
        // which aborts the stream so its `finally` runs. `close()` exists in uWS 20.30 but not
        // in every build's d.ts, hence the check.
        ;(uwsApp as UwsServerApp & { close?: () => void }).close?.()
      }
      resolve({ url: toServedUrl(host, bound), port: bound, close })
    })
  })
}

// Loaded on first use, not at import: the package never loads the native addon unless asked to
// serve, and then takes the build installed in the user's project.
function loadUws(options: UwsServeOptions): UwsModule {
  return options.uws ?? (createRequire(import.meta.url)('uWebSockets.js') as UwsModule)
}
