import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { closeApp, type App, type CloseOptions } from '@sluice/core'
import { createFetchHandler } from '@sluice/fetch'
import { Hono } from 'hono'
import { mount } from 'hono/mount'
import type { Served } from '@sluice/core/adapter'

/** Where the suite mounts the app in its Hono app: a prefix, so the mount's path rewrite is tested too. */
export const HONO_MOUNT = '/api'

/**
 * Serves an app's fetch handler mounted in a Hono app (`mount` from `hono/mount`, which strips the prefix)
 * on `@hono/node-server`, next to a route of Hono's own.
 */
export async function serveHono(app: App, port: number): Promise<Served> {
  const hono = new Hono()
  hono.get('/', (c) => c.text('hono'))
  hono.all(`${HONO_MOUNT}/*`, mount(createFetchHandler(app)))
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: hono.fetch, port, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    )
    started.once('error', reject)
  })
  const { port: bound } = server.address() as AddressInfo
  const close = async (options?: CloseOptions): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    // Streams hold their connections open: end them gracefully first, then drop what is left.
    await closeApp(app, options)
    server.closeAllConnections()
    await closed
  }
  return { url: `http://127.0.0.1:${bound}${HONO_MOUNT}`, port: bound, close }
}
