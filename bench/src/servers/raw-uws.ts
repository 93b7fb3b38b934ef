import { createRequire } from 'node:module'
import type * as UWS from 'uWebSockets.js'
import { JSON_BODY, type StartServer } from './types'
import { listenUws } from './uws-listen'

/** Bare uWebSockets.js: the JSON route written natively (the JSON scenario's baseline on uWS). */
export const rawUws: StartServer = async (port) => {
  const uWS = createRequire(import.meta.url)('uWebSockets.js') as typeof UWS
  const app = uWS.App().get('/json', (res) => {
    res.cork(() =>
      res.writeHeader('content-type', 'application/json; charset=utf-8').end(JSON.stringify(JSON_BODY)),
    )
  })
  const close = await listenUws(uWS, app, port)
  return { publish: () => undefined, subscribers: () => 0, close }
}
