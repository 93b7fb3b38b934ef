import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { createApp, defineFunction, wireHTTP, withEvent, type App } from '@sluice/core'
import uWS from 'uWebSockets.js'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { z } from 'zod'
import type { Served } from '@sluice/core/adapter'
import { attachUws, listen as listenUws } from '../src/index'

// uWS-specific behaviour over real sockets; the wire protocol itself is the conformance suite's.

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function listen(uwsApp: uWS.TemplatedApp): Promise<Served> {
  const served = await listenUws(uwsApp, { port: 0 })
  closers.push(() => served.close())
  return served
}

interface TestApp {
  app: App
  finalized: Set<string>
  echoCalls: { count: number }
}

function createTestApp(): TestApp {
  const finalized = new Set<string>()
  const echoCalls = { count: 0 }
  const app = createApp({
    limits: { bodyBytes: 1024 },
    // No heartbeat: a byte stuck in uWS's buffer would stay stuck instead of riding on a ping.
    // One 8 MB event on purpose (above the default maxEventBytes).
    sse: { heartbeatMs: 0, maxEventBytes: 16_000_000 },
    // An `await` before core reads anything: the request must have been copied already.
    authenticate: async (request) => {
      await sleep(1)
      return request.headers['authorization'] === 'Bearer ok' ? { user: 'ok' } : undefined
    },
    onError: () => undefined,
  })
  const echo = defineFunction({
    input: z.object({ text: z.string() }),
    func: ({ input }) => {
      echoCalls.count++
      return { length: input.text.length }
    },
  })
  wireHTTP(app, { method: 'post', route: '/echo', func: echo })
  const whoami = defineFunction({
    func: ({ input, request, session }) => ({
      input,
      method: request.method,
      tags: request.headers['x-tag'],
      cookie: request.headers['cookie'],
      odd: request.headers['constructor'],
      session,
    }),
  })
  wireHTTP(app, { method: 'get', route: '/whoami', func: whoami })
  const ticks = defineFunction({
    input: z.object({ count: z.coerce.number().int() }),
    func: async function* ({ input }) {
      for (let i = 1; i <= input.count; i++) {
        // Every write then comes from a timer or a promise, outside uWS's handler.
        if (i % 100 === 0) await sleep(1)
        yield withEvent({ id: String(i) }, i)
      }
      return input.count
    },
  })
  wireHTTP(app, { method: 'get', route: '/ticks', func: ticks })
  const flood = defineFunction({
    input: z.object({ tag: z.string(), bytes: z.coerce.number().int(), count: z.coerce.number().int() }),
    func: async function* ({ input, signal }) {
      try {
        for (let i = 0; i < input.count; i++) yield 'x'.repeat(input.bytes)
        // Then nothing until the client leaves: what was written must still reach it.
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      } finally {
        finalized.add(input.tag)
      }
    },
  })
  wireHTTP(app, { method: 'get', route: '/flood', func: flood })
  return { app, finalized, echoCalls }
}

/** Writes raw bytes and returns everything the server sends until it closes the socket. */
function rawExchange(port: number, parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      for (const part of parts) socket.write(part)
    })
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (data: string) => (received += data))
    socket.on('error', reject)
    socket.on('close', () => resolve(received))
  })
}

/** Reads a fetch body until at least `bytes` arrived, and leaves the stream open. */
async function readAtLeast(response: Response, bytes: number): Promise<number> {
  if (response.body === null) throw new Error('no body')
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader()
  let received = 0
  while (received < bytes) {
    const { done, value } = await reader.read()
    if (done) throw new Error(`the stream ended after ${received} of ${bytes} bytes`)
    received += value.byteLength
  }
  return received
}

// One `/flood` event of n bytes: `data: <n x>` and a blank line.
const postJson = (url: string, body: string): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

const eventBytes = (n: number): number => 'data: '.length + n + 2

async function eventually(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !check(); i++) await sleep(10)
  return check()
}

describe('@sluice/uws', () => {
  it('leaves routes the user registered on the same uWS app answering, before and after attaching', async () => {
    const uwsApp = uWS.App()
    uwsApp.get('/before', (res) => {
      res.end('before')
    })
    attachUws(uwsApp, createTestApp().app)
    uwsApp.get('/after', (res) => {
      res.end('after')
    })
    const { url } = await listen(uwsApp)
    expect(await (await fetch(`${url}/before`)).text()).toBe('before')
    expect(await (await fetch(`${url}/after`)).text()).toBe('after')
    const echo = await postJson(`${url}/echo`, '{"text":"hey"}')
    expect(await echo.json()).toEqual({ length: 3 })
    const missing = await fetch(`${url}/nowhere`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })

  it('copies method, query and repeated headers before the handler returns', async () => {
    const { port } = await listen(attachUws(uWS.App(), createTestApp().app))
    const response = await rawExchange(port, [
      'GET /whoami?a=1&b=two HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ok\r\nx-tag: one\r\nx-tag: two\r\n' +
        'cookie: c=1\r\ncookie: d=2\r\nconstructor: x\r\nconnection: close\r\n\r\n',
    ])
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual({
      input: { a: '1', b: 'two' },
      method: 'GET',
      tags: 'one, two',
      cookie: 'c=1; d=2',
      odd: 'x',
      session: { user: 'ok' },
    })
  })

  it('answers a declared body over the limit with 413 and closes, without waiting for the rest', async () => {
    const { port } = await listen(attachUws(uWS.App(), createTestApp().app))
    // 10 MB announced, 100 bytes sent: the answer can only come from the Content-Length.
    const response = await rawExchange(port, [
      'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 10000000\r\n\r\n',
      '{"text":"' + 'x'.repeat(90),
    ])
    expect(response).toMatch(/^HTTP\/1\.1 413 /)
    expect(response).toMatch(/\r\nConnection: close\r\n/)
    expect(response).toContain('"code":"PAYLOAD_TOO_LARGE"')
  })

  it('answers a chunked body over the limit with 413 once the limit is passed, not at its end', async () => {
    const { echoCalls, app } = createTestApp()
    const { port } = await listen(attachUws(uWS.App(), app))
    const chunk = `200\r\n${'x'.repeat(0x200)}\r\n`
    // 2 KiB against a 1 KiB limit, and never the terminating chunk.
    const response = await rawExchange(port, [
      'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n',
      chunk.repeat(4),
    ])
    expect(response).toMatch(/^HTTP\/1\.1 413 /)
    expect(response).toContain('"limit":1024')
    expect(echoCalls.count).toBe(0)
  })

  it('refuses ambiguous framing with a JSON 400 and a close, and never runs the function', async () => {
    const errors = vi.spyOn(console, 'error')
    onTestFinished(() => errors.mockRestore())
    const { echoCalls, app } = createTestApp()
    const { port, url } = await listen(attachUws(uWS.App(), app))
    const body = '{"text":"hey"}'
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
    const head =
      'POST /echo HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ok\r\ncontent-type: application/json\r\n'
    for (const [framing, message] of [
      [`content-length: ${body.length}\r\ncontent-length: 5\r\n`, 'Content-Length must be given once'],
      ['transfer-encoding: gzip\r\n', 'Transfer-Encoding must be exactly'],
    ] as const) {
      const text = framing.startsWith('content-length') ? body : chunked
      // rawExchange resolves only once the server closed the connection.
      const response = await rawExchange(port, [`${head}${framing}\r\n${text}`])
      expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
      expect(response).toMatch(/\r\nConnection: close\r\n/)
      const answer = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as {
        error: { code: string; message: string }
      }
      expect(answer.error.code).toBe('BAD_REQUEST')
      expect(answer.error.message).toContain(message)
    }
    expect(echoCalls.count).toBe(0)
    // The same request, framed once, is answered on the same server.
    expect(await (await postJson(`${url}/echo`, body)).json()).toEqual({ length: 3 })
    expect(errors).not.toHaveBeenCalled()
  })

  it('survives clients that leave in the middle of a body, never touching their response', async () => {
    // uWS throws on any use of a response after onAborted; the adapter would log it.
    const errors = vi.spyOn(console, 'error')
    onTestFinished(() => errors.mockRestore())
    const { echoCalls, app } = createTestApp()
    const { port, url } = await listen(attachUws(uWS.App(), app))
    for (let i = 0; i < 20; i++) {
      const socket = connect(port, '127.0.0.1')
      await new Promise((resolve) => socket.once('connect', resolve))
      socket.write(
        'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n',
      )
      socket.write('{"text":"' + 'x'.repeat(i * 10))
      await sleep(i % 2) // half leave at once, half once core waits for the rest of the body
      socket.destroy()
    }
    const response = await postJson(`${url}/echo`, '{"text":"still here"}')
    expect(await response.json()).toEqual({ length: 10 })
    expect(echoCalls.count).toBe(1)
    expect(errors).not.toHaveBeenCalled()
  })

  it('delivers many small writes made from timers and promises whole and in order', async () => {
    const { url } = await listen(attachUws(uWS.App(), createTestApp().app))
    const text = await (await fetch(`${url}/ticks?count=2000`)).text()
    const ids = [...text.matchAll(/^id: (\d+)\ndata: (\d+)\n\n/gm)].map((match) => [match[1], match[2]])
    expect(ids).toEqual(Array.from({ length: 2000 }, (_, k) => [String(k + 1), String(k + 1)]))
    expect(text.endsWith('event: done\ndata: 2000\n\n')).toBe(true)
  })

  it('resumes a stream that hit backpressure once a slow reader catches up', async () => {
    const { app, finalized } = createTestApp()
    const { url } = await listen(attachUws(uWS.App(), app))
    const controller = new AbortController()
    const response = await fetch(`${url}/flood?tag=slow&bytes=65536&count=200`, { signal: controller.signal })
    await sleep(200) // 13 MB do not fit the socket buffers: uWS reports backpressure meanwhile
    expect(await readAtLeast(response, 200 * eventBytes(65536))).toBeGreaterThan(200 * 65536)
    expect(finalized.has('slow')).toBe(false)
    controller.abort()
    expect(await eventually(() => finalized.has('slow'))).toBe(true)
  })

  it('flushes what backpressure held back even when the stream then goes quiet', async () => {
    const { url } = await listen(attachUws(uWS.App(), createTestApp().app))
    const controller = new AbortController()
    // 8 MB in one event, then silence (no heartbeat): most of it waits in uWS's own buffer,
    // and nothing written later would push it out.
    const response = await fetch(`${url}/flood?tag=quiet&bytes=8000000&count=1`, {
      signal: controller.signal,
    })
    await sleep(200)
    expect(await readAtLeast(response, eventBytes(8_000_000))).toBeGreaterThan(8_000_000)
    controller.abort()
  })

  it('runs the generator finally when the client aborts an open stream', async () => {
    const { app, finalized } = createTestApp()
    const { url } = await listen(attachUws(uWS.App(), app))
    const controller = new AbortController()
    const response = await fetch(`${url}/flood?tag=abort&bytes=10&count=3`, { signal: controller.signal })
    await readAtLeast(response, 3 * eventBytes(10))
    expect(finalized.has('abort')).toBe(false)
    controller.abort()
    expect(await eventually(() => finalized.has('abort'))).toBe(true)
  })
})
