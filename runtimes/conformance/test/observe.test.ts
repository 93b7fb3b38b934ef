import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createApp, defineFunction, defineMiddleware, wireHTTP, withEvent, type Logger } from '@sluice/core'
import { runtimes } from '../src/runtimes'
import { readFrames } from '../src/sse-reader'

// Middleware and the access log on every runtime, over real sockets: the middleware's header
// reaches the client, and the stream's one log line comes when it ends, with the reason.

type Line = Record<string, unknown>

function observedApp(lines: Line[]) {
  const logger: Logger = pino({}, { write: (line: string) => void lines.push(JSON.parse(line) as Line) })
  const requestId = defineMiddleware({
    handle: (ctx, next) => {
      ctx.setHeader('x-request-id', ctx.request.headers['x-request-id'] ?? 'none')
      return next({ requestId: ctx.request.headers['x-request-id'] })
    },
  })
  const app = createApp({ logger, accessLog: true, use: [requestId], sse: { heartbeatMs: 0 } })
  const ticks = defineFunction({
    async *func({ signal }) {
      for (let i = 1; ; i++) {
        yield withEvent({ id: String(i) }, { i })
        await sleep(10, undefined, { signal })
      }
    },
  })
  const count = defineFunction({
    async *func() {
      for (let i = 1; i <= 3; i++) yield { i }
      return { total: 3 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/ticks', func: ticks })
  wireHTTP(app, { method: 'get', route: '/count/:n', func: count })
  return app
}

describe.each(Object.entries(runtimes))('middleware and access log on %s', (_name, serve) => {
  it('logs a finished stream as done and a stream the client left as client-closed', async () => {
    const lines: Line[] = []
    const running = await serve(observedApp(lines), 0)
    try {
      const done = await fetch(`${running.url}/count/3`, { headers: { 'x-request-id': 'r-1' } })
      expect(done.headers.get('x-request-id')).toBe('r-1')
      expect(await done.text()).toContain('event: done')
      await expect.poll(() => lines.length, { timeout: 5000 }).toBe(1)
      expect(lines[0]).toMatchObject({ route: '/count/:n', status: 200, events: 3, endReason: 'done' })

      const client = new AbortController()
      const left = await fetch(`${running.url}/ticks`, { signal: client.signal })
      let seen = 0
      for await (const frame of readFrames(left)) if (frame.data !== undefined && ++seen === 2) break
      client.abort()
      await expect.poll(() => lines.length, { timeout: 5000 }).toBe(2)
      expect(lines[1]).toMatchObject({ route: '/ticks', status: 200, endReason: 'client-closed' })
      expect(lines[1]?.['events']).toBeGreaterThanOrEqual(2)
    } finally {
      await running.close()
    }
  })
})
