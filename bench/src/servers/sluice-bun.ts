import { createFetchHandler } from '@sluice/fetch'
import { bunServe } from './bun-serve'
import { createBenchApp } from './sluice-app'
import type { StartServer } from './types'

/** sluice's fetch adapter on Bun: `Bun.serve({ fetch: createFetchHandler(app) })`. */
export const sluiceBun: StartServer = (port) => {
  const { app, hub } = createBenchApp()
  const close = bunServe(port, createFetchHandler(app))
  return Promise.resolve({ publish: (m) => hub.publish(m), subscribers: () => hub.size, close })
}
