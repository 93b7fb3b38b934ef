import type { App } from '../app/create-app'
import { closeApp, type CloseOptions } from '../app/close-app'

/** What `serve(app, options)` resolves to on every runtime: where it listens, and a graceful close. */
export interface Served {
  /** `http://host:port`, with the port the system picked when `port` was 0. */
  url: string
  port: number
  /** Stops accepting, ends open streams gracefully (`closeApp`: a final `retry:`, every `finally`), then the sockets. */
  close(options?: CloseOptions): Promise<void>
}

/** The options every runtime's `serve(app, options)` takes (a runtime may add its own). */
export interface ServeOptions {
  /** 0 picks a free port. Default 3000. */
  port?: number
  /** Default 127.0.0.1; pass `0.0.0.0` to listen on every interface. */
  host?: string
}

/**
 * Set to `1`, every `serve()` resolves at once without listening. `sluice client` and
 * `sluice openapi` set it while they import an app module, so a module that serves when
 * imported is read, never run as a server (docs/decisions.md, "A CLI that never serves").
 */
export const NO_LISTEN_ENV = 'SLUICE_NO_LISTEN'

/** Whether `serve()` must not listen (`SLUICE_NO_LISTEN=1`). False where there is no `process`. */
export function isListenSkipped(): boolean {
  // Deno, workerd and browsers may have no `process`; nothing there sets the variable anyway.
  return typeof process !== 'undefined' && process.env[NO_LISTEN_ENV] === '1'
}

/** Where `serve()` listens: the options with their defaults. */
export function toListenAddress(options: ServeOptions = {}): { port: number; host: string } {
  return { port: options.port ?? 3000, host: options.host ?? '127.0.0.1' }
}

/** A URL for a listening address, with IPv6 hosts in brackets. */
export function toServedUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * The `Served` of a `serve()` that skipped listening: the address it would have used, and a
 * `close` that only closes the app. Nothing listens, so a held port is no error.
 */
export function toSkippedServed(app: App, options: ServeOptions = {}): Served {
  const { port, host } = toListenAddress(options)
  return { url: toServedUrl(host, port), port, close: (closing) => closeApp(app, closing) }
}
