import type { Response } from 'express'
import express from 'express'
import { listen } from '@sluice/node'
import type { Message } from '../hub'
import { floodCount, frame, JSON_BODY, type StartServer } from './types'

/**
 * Bare Express 5: `res.json` for JSON, and SSE written to `res` as Express users do
 * (`res.set` the headers, `flushHeaders`, `res.write` frames, wait for `drain`).
 */
export const expressRes: StartServer = async (port) => {
  const subscribers = new Set<Response>()
  const app = express()
  const open = (res: Response): void => {
    res.set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    })
    res.flushHeaders()
  }
  app.get('/json', (_req, res) => void res.json(JSON_BODY))
  app.get('/one', (_req, res) => {
    open(res)
    res.end(frame({ i: 1 }))
  })
  app.get('/flood', (req, res) => {
    open(res)
    const n = floodCount(req.url)
    let i = 0
    const pump = (): void => {
      while (i < n) {
        if (res.destroyed) return
        if (!res.write(frame({ i: ++i }))) return void res.once('drain', pump)
      }
      res.end()
    }
    pump()
  })
  app.get('/sub', (req, res) => {
    open(res)
    subscribers.add(res)
    req.on('close', () => subscribers.delete(res))
  })
  app.get('/idle', (_req, res) => open(res))
  const served = await listen(app, { port })
  return {
    publish: (message: Message) => {
      const chunk = frame(message)
      for (const res of subscribers) res.write(chunk)
    },
    subscribers: () => subscribers.size,
    close: () => served.close(),
  }
}
