import { pino } from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createApp, type AppOptions } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { createHandler } from '../http/handle-request'
import type { Logger } from './logger'
import { defineMiddleware } from '../middleware/define-middleware'
import { coreRequest, readStream } from '../middleware/core-request.test-util'

type Line = Record<string, unknown> & { level: number; msg: string }

/** A real pino logger writing JSON lines into an array. */
function pinoLines(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = []
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  )
  return { logger, lines }
}

function app(options: AppOptions) {
  const app = createApp({ sse: { heartbeatMs: 0 }, ...options })
  const count = defineFunction({
    input: z.object({ to: z.coerce.number() }),
    async *func({ input }) {
      for (let i = 1; i <= input.to; i++) yield { i }
      return { total: input.to }
    },
  })
  const cookie = defineMiddleware({
    handle: (ctx, next) => (ctx.setHeader('set-cookie', 'session=secret'), next()),
  })
  wireHTTP(app, { method: 'get', route: '/count/:to', func: count, use: [cookie] })
  const broken = defineFunction({
    output: z.object({ name: z.string() }),
    func: () => ({ name: 42 }) as never,
  })
  wireHTTP(app, { method: 'get', route: '/broken', func: broken })
  wireHTTP(app, { method: 'get', route: '/ok', func: defineFunction({ func: () => ({ ok: true }) }) })
  return createHandler(app)
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('access log (pino)', () => {
  it('writes one line per stream with route template, status, events, bytes and end reason; secrets redacted', async () => {
    const { logger, lines } = pinoLines()
    const handle = app({ logger, accessLog: { redact: ['X-Api-Key'] } })
    const headers = {
      authorization: 'Bearer s3cret',
      cookie: 'a=b',
      'x-api-key': 'k',
      accept: 'text/event-stream',
    }
    const response = await handle(coreRequest('GET', '/count/3', headers))
    expect(lines).toEqual([]) // not before the stream has ended
    const text = await readStream(response)
    expect(lines).toHaveLength(1)
    const [line] = lines
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/count/:to',
      path: '/count/3',
      status: 200,
      events: 3,
      bytes: text.length - text.indexOf('data: {"i":1}'),
      endReason: 'done',
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' } },
      res: { headers: { 'set-cookie': '[redacted]', 'content-type': 'text/event-stream; charset=utf-8' } },
    })
    expect(line?.msg).toMatch(/^GET \/count\/:to 200 stream done 3 events \d+ B [\d.]+ ms$/)
    expect(JSON.stringify(line)).not.toMatch(/s3cret|session=secret/)
  })

  it('writes one line per JSON answer, errors with their code; nothing without accessLog', async () => {
    const { logger, lines } = pinoLines()
    const handle = app({ logger, accessLog: true })
    await handle(coreRequest('GET', '/ok'))
    await handle(coreRequest('GET', '/count/nope'))
    expect(lines.map((line) => line.msg.replace(/ [\d.]+ ms/, ''))).toEqual([
      'GET /ok 200',
      'GET /count/:to 400 VALIDATION_ERROR',
    ])
    const quiet = pinoLines()
    await app({ logger: quiet.logger })(coreRequest('GET', '/ok'))
    expect(quiet.lines).toEqual([])
  })
})

describe('error log', () => {
  it('sends a broken output contract to logger.error with its issues spelled out', async () => {
    const { logger, lines } = pinoLines()
    await app({ logger })(coreRequest('GET', '/broken'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'sluice: GET /broken failed',
      method: 'GET',
      path: '/broken',
      issues: [expect.stringMatching(/^name: .*string/i)],
      err: { message: 'The server produced a value that does not match its schema' },
    })
  })

  it('by default prints errors only, readable, to the console', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const handle = app({ accessLog: true })
    await handle(coreRequest('GET', '/ok'))
    await handle(coreRequest('GET', '/broken'))
    expect(log).not.toHaveBeenCalled()
    expect(error).toHaveBeenCalledOnce()
    const printed = String(error.mock.calls[0]?.[0])
    expect(printed).toMatch(/^sluice: GET \/broken failed\nWireError: The server produced a value/)
    expect(printed).toMatch(/\n {2}- name: .*string/i)
    expect(printed).not.toContain('[Array]')
  })
})
