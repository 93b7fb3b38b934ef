import { createServer, get, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { CoreRequest } from '@sluice/core/adapter'
import { toCoreRequest } from '../src/index'

let server: Server | undefined
afterEach(() => server?.close())

// Serves one request: the handler gets the neutral request and decides when to answer.
async function serveOnce(handle: (request: CoreRequest, end: () => void) => void): Promise<number> {
  server = createServer((req, res) => handle(toCoreRequest(req, res), () => res.end('ok')))
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

describe('node toCoreRequest: the client leaving', () => {
  it('aborts signal and calls onClose when the client leaves before the response finished', async () => {
    const left = new Promise<{ signal: AbortSignal; reasons: unknown[] }>((resolve) => {
      let leave = (): void => undefined
      void serveOnce((request) => {
        const reasons: unknown[] = []
        const { signal } = request
        request.onClose?.((reason) => {
          reasons.push(reason)
          // `close` has fired: both ways of hearing it have by now.
          setImmediate(() => resolve({ signal, reasons }))
        })
        // Only once the server holds the request: a fixed delay raced the request under load.
        leave()
      }).then((port) => {
        // The server never answers: the client gives up and drops the connection.
        const client = get({ port, path: '/' }).on('error', () => undefined)
        leave = () => client.destroy()
      })
    })
    const { signal, reasons } = await left
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toMatchObject({ code: 'CLIENT_CLOSED' })
    expect(reasons).toEqual([expect.objectContaining({ code: 'CLIENT_CLOSED' })])
  })

  it('neither aborts nor calls onClose when the response finished', async () => {
    let request: CoreRequest | undefined
    const called: unknown[] = []
    const port = await serveOnce((incoming, end) => {
      request = incoming
      incoming.onClose?.((reason) => called.push(reason))
      end()
    })
    await new Promise<void>((resolve) => get({ port, path: '/' }, (res) => res.resume().on('end', resolve)))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(request?.signal.aborted).toBe(false)
    // Asked after the response closed: still not a client that left.
    request?.onClose?.((reason) => called.push(reason))
    expect(called).toEqual([])
  })

  it('calls onClose for a response queued behind another when the connection goes', async () => {
    const calls: string[] = []
    const queued = new Promise<void>((resolve) => {
      void serveOnce((request) => {
        // Neither is ever answered: the second waits behind the first on the same connection.
        request.onClose?.(() => {
          calls.push(request.url)
          if (calls.length === 2) resolve()
        })
      }).then((port) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('GET /first HTTP/1.1\r\nhost: x\r\n\r\nGET /second HTTP/1.1\r\nhost: x\r\n\r\n')
          setTimeout(() => socket.destroy(), 50)
        })
      })
    })
    await Promise.race([queued, new Promise((resolve) => setTimeout(resolve, 2000))])
    expect(calls.sort()).toEqual(['/first', '/second'])
  })

  it('does not call onClose for a queued response that finished in its turn', async () => {
    const called: string[] = []
    const port = await serveOnce((request, end) => {
      request.onClose?.(() => called.push(request.url))
      // The first answers later, so the second is still queued when it ends its response.
      setTimeout(end, request.url === '/first' ? 50 : 0)
    })
    const socket = connect(port, '127.0.0.1')
    let text = ''
    await new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (text.split('\r\n\r\nok').length === 3) resolve()
      })
      socket.write('GET /first HTTP/1.1\r\nhost: x\r\n\r\nGET /second HTTP/1.1\r\nhost: x\r\n\r\n')
    })
    socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(called).toEqual([])
  })
})
