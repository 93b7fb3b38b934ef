import { createRequire } from 'node:module'
import { listen, createNodeHandler } from '@sluice/node'
import { createExpressMiddleware } from '@sluice/express'
import { sluicePlugin } from '@sluice/fastify'
import { attachUws, listen as listenUws } from '@sluice/uws'
import express from 'express'
import Fastify from 'fastify'
import { createBenchApp } from './sluice-app'
import type { StartServer } from './types'

/** sluice on node:http: `serve(app)`'s handler. */
export const sluiceNode: StartServer = async (port) => {
  const { app, hub } = createBenchApp()
  const served = await listen(createNodeHandler(app), { port })
  return { publish: (m) => hub.publish(m), subscribers: () => hub.size, close: () => served.close() }
}

/** sluice as Express 5 middleware. */
export const sluiceExpress: StartServer = async (port) => {
  const { app, hub } = createBenchApp()
  const served = await listen(express().use(createExpressMiddleware(app)), { port })
  return { publish: (m) => hub.publish(m), subscribers: () => hub.size, close: () => served.close() }
}

/** sluice as a Fastify 5 plugin. */
export const sluiceFastify: StartServer = async (port) => {
  const { app, hub } = createBenchApp()
  const fastify = Fastify({ forceCloseConnections: true })
  await fastify.register(sluicePlugin, { app })
  await fastify.listen({ port, host: '127.0.0.1' })
  return { publish: (m) => hub.publish(m), subscribers: () => hub.size, close: () => fastify.close() }
}

/** sluice on uWebSockets.js. */
export const sluiceUws: StartServer = async (port) => {
  const { app, hub } = createBenchApp()
  const uWS = createRequire(import.meta.url)('uWebSockets.js') as typeof import('uWebSockets.js')
  const uwsApp = attachUws(uWS.App(), app)
  const served = await listenUws(uwsApp, { port, uws: uWS })
  return { publish: (m) => hub.publish(m), subscribers: () => hub.size, close: () => served.close() }
}
