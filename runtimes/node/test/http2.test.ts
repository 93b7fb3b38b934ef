import { get } from 'node:https'
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2'
import { setTimeout as sleep } from 'node:timers/promises'
import { createFixtureApp } from '@sluice/conformance/fixture'
import type { Served } from '@sluice/core/adapter'
import { tlsRuntimes } from '@sluice/conformance/runtimes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// What HTTP/2 changes under the suite (which runs over h2 in `npm run test:runtimes`): no
// connection headers, RST_STREAM as the client leaving, flow control as backpressure, and
// HTTP/1.1 still answered on the same TLS port. A real node:http2 client, no mocks.
let running: Served
let session: ClientHttp2Session
beforeAll(async () => {
  running = await tlsRuntimes['node-h2'](createFixtureApp({ slowConsumerMs: 300 }), 0)
  session = connect(running.url, { rejectUnauthorized: false })
})
afterAll(async () => {
  session.close()
  await running.close()
})

const newTag = (prefix: string): string => `${prefix}-${Math.random().toString(36).slice(2)}`

function request(path: string): { headers: Promise<IncomingHttpHeaders>; text: Promise<string> } {
  const stream = session.request({ ':path': path, accept: 'text/event-stream' })
  let text = ''
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
  return {
    headers: new Promise((resolve) => stream.once('response', resolve)),
    text: new Promise((resolve) => stream.once('end', () => resolve(text))),
  }
}

async function finalizedWithin(tag: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if ((await request(`/finalized?tag=${tag}`).text).includes('true')) return true
    await sleep(50)
  }
  return false
}

describe('node runtime over HTTP/2', () => {
  it('streams over h2 with none of HTTP/1.1 connection headers', async () => {
    const { headers, text } = request('/count?to=3')
    const head = await headers
    expect(head[':status']).toBe(200)
    expect(head['content-type']).toBe('text/event-stream; charset=utf-8')
    for (const name of ['connection', 'keep-alive', 'transfer-encoding']) expect(head[name]).toBeUndefined()
    expect(await text).toContain('event: done\ndata: {"total":3}')
  })

  it('RST_STREAM from the client aborts signal: a generator stuck on a promise is released', async () => {
    const tag = newTag('rst')
    const stream = session.request({ ':path': `/hang?tag=${tag}`, accept: 'text/event-stream' })
    let text = ''
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
    while (!text.includes('data:')) await new Promise((resolve) => stream.once('data', resolve))
    expect(await finalizedWithin(tag, 0)).toBe(false)
    stream.close(constants.NGHTTP2_CANCEL)
    expect(await finalizedWithin(tag, 2000)).toBe(true)
  })

  it('a client that stops reading fills the flow-control window and is dropped (slowConsumerMs)', async () => {
    // 100000 events of 64 KiB: a server that ignored the window would buffer 6.5 GB. The server
    // runs in this process: its memory is watched, and the client leaves should it grow.
    const tag = newTag('slow')
    const before = process.memoryUsage().rss
    const reader = connect(running.url, { rejectUnauthorized: false })
    const stream = reader.request({ ':path': `/big?bytes=65536&count=100000&tag=${tag}` })
    stream.pause()
    let peak = 0
    let dropped = false
    try {
      const deadline = Date.now() + 10_000
      while (!dropped && peak < 128 * 1024 * 1024 && Date.now() < deadline) {
        await sleep(50)
        peak = Math.max(peak, process.memoryUsage().rss - before)
        dropped = (await request(`/finalized?tag=${tag}`).text).includes('true')
      }
    } finally {
      reader.destroy()
    }
    expect(peak).toBeLessThan(128 * 1024 * 1024)
    expect(dropped).toBe(true)
  })

  it('answers HTTP/1.1 on the same TLS port, with its keep-alive', async () => {
    const { status, connection, body } = await new Promise<{
      status: number | undefined
      connection: string | undefined
      body: string
    }>((resolve, reject) => {
      const url = `${running.url}/count?to=2`
      get(url, { rejectUnauthorized: false, headers: { accept: 'text/event-stream' } }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        res.once('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }))
      }).once('error', reject)
    })
    expect(status).toBe(200)
    expect(connection).toBe('keep-alive')
    expect(body).toContain('event: done\ndata: {"total":2}')
  })
})
