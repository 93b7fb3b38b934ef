import { createServer, get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
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
      void serveOnce((request) => {
        const reasons: unknown[] = []
        const { signal } = request
        request.onClose?.((reason) => {
          reasons.push(reason)
          // `close` has fired: both ways of hearing it have by now.
          setImmediate(() => resolve({ signal, reasons }))
        })
      }).then((port) => {
        // The server never answers: the client gives up and drops the connection.
        const client = get({ port, path: '/' }).on('error', () => undefined)
        setTimeout(() => client.destroy(), 50)
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
})
