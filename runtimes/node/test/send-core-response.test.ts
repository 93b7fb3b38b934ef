import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, defineFunction, wireHTTP } from '@sluice/core'
import { createNodeHandler } from '../src/index'

let server: Server | undefined
afterEach(() => server?.close())

async function serve(): Promise<number> {
  const app = createApp({ sse: { heartbeatMs: 0 } })
  const one = defineFunction({
    async *func() {
      yield { i: 1 }
    },
  })
  const slow = defineFunction({
    async *func() {
      yield { i: 1 }
      await new Promise((resolve) => setTimeout(resolve, 30))
      yield { i: 2 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/one', func: one })
  wireHTTP(app, { method: 'get', route: '/slow', func: slow })
  server = createServer(createNodeHandler(app))
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

function read(port: number, path: string): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ port, path, headers: { accept: 'text/event-stream' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ headers: res.headers, body }))
    })
      .on('error', reject)
      .end()
  })
}

describe('node sendCoreResponse: how a stream is framed', () => {
  it('a stream that ended in the tick that opened it goes out whole, with its length', async () => {
    const port = await serve()
    const { headers, body } = await read(port, '/one')
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body)))
    expect(headers['transfer-encoding']).toBeUndefined()
    expect(body).toBe(': sluice stream open\nretry: 2000\n\ndata: {"i":1}\n\nevent: done\ndata: null\n\n')
  })

  it('a stream still running at the end of that tick is chunked, and every event arrives', async () => {
    const port = await serve()
    const { headers, body } = await read(port, '/slow')
    expect(headers['transfer-encoding']).toBe('chunked')
    expect(headers['content-length']).toBeUndefined()
    expect(body).toContain('data: {"i":1}\n\ndata: {"i":2}\n\nevent: done\ndata: null\n\n')
  })
})
