import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { App } from '@sluice/core'
import type { Served } from '@sluice/core/adapter'
import { createExpressMiddleware } from '@sluice/express'
import { sluicePlugin } from '@sluice/fastify'
import { createNodeHandler, listen } from '@sluice/node'
import { attachUws, listen as listenUws } from '@sluice/uws'
import express from 'express'
import Fastify from 'fastify'
import type * as UWS from 'uWebSockets.js'
import { toAssetRoutes, type Assets } from './assets'

/** The runtimes the demo runs on, by the name `RUNTIME` takes. */
export const runtimeNames = ['node', 'express', 'fastify', 'uws'] as const

/** One of `runtimeNames`. */
export type RuntimeName = (typeof runtimeNames)[number]

/** What `serveDemo` serves, and where. */
export interface ServeDemoOptions {
  runtime: RuntimeName
  app: App
  assets: Assets
  /** 0 picks a free port. */
  port: number
  host: string
}

/** Serves the page, its script and the app on one runtime, each the way that runtime is used. */
export function serveDemo(options: ServeDemoOptions): Promise<Served> {
  return servers[options.runtime](options)
}

const servers: Record<RuntimeName, (options: ServeDemoOptions) => Promise<Served>> = {
  node: ({ app, assets, port, host }) => {
    const sluice = createNodeHandler(app)
    const routes = new Map(toAssetRoutes(assets).map((route) => [route.path, route]))
    return listen(
      (req, res) => {
        const asset =
          req.method === 'GET' ? routes.get(new URL(req.url ?? '/', 'http://x').pathname) : undefined
        if (asset === undefined) sluice(req, res)
        else res.writeHead(200, asset.headers).end(asset.body)
      },
      { port, host, app },
    )
  },

  express: ({ app, assets, port, host }) => {
    const server = express()
    for (const { path, body, headers } of toAssetRoutes(assets)) {
      server.get(path, (_req, res) => {
        res.set(headers).send(body)
      })
    }
    return listen(server.use(createExpressMiddleware(app)), { port, host, app })
  },

  fastify: async ({ app, assets, port, host }) => {
    // Streams hold their connections open; `close()` must end them too.
    const fastify = Fastify({ forceCloseConnections: true })
    for (const { path, body, headers } of toAssetRoutes(assets)) {
      fastify.get(path, (_request, reply) => reply.headers(headers).send(body))
    }
    await fastify.register(sluicePlugin, { app })
    const url = await fastify.listen({ port, host })
    return { url, port: (fastify.server.address() as AddressInfo).port, close: () => fastify.close() }
  },

  uws: ({ app, assets, port, host }) => {
    // Loaded on first use, so the other runtimes never load the native addon.
    const uWS = createRequire(import.meta.url)('uWebSockets.js') as typeof UWS
    const server = uWS.App()
    for (const { path, body, headers } of toAssetRoutes(assets)) {
      // Answered within the handler, so no cork is needed; these routes win over sluice's `/*`.
      server.get(path, (res) => {
        res.writeStatus('200 OK')
        for (const [name, value] of Object.entries(headers)) res.writeHeader(name, value)
        res.end(body)
      })
    }
    attachUws(server, app)
    return listenUws(server, { port, host, app, uws: uWS })
  },
}
