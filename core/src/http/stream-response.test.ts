import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CoreRequest } from '../adapter/types'
import { createApp } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { createHandler } from './handle-request'

// A request from a runtime with `onClose` (node, uWS): its client can be made to leave.
function request(url: string) {
  const listeners: ((reason: unknown) => void)[] = []
  const core: CoreRequest = {
    method: 'GET',
    url,
    headers: { accept: 'text/event-stream' },
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    get signal(): AbortSignal {
      throw new Error('the request signal was read')
    },
    onClose: (listener) => void listeners.push(listener),
  }
  return { core, leave: () => listeners.forEach((listener) => listener('gone')) }
}

// Counts the AbortControllers made while `run` runs.
async function controllersMade(run: () => Promise<void>): Promise<number> {
  let made = 0
  const Original = globalThis.AbortController
  vi.stubGlobal(
    'AbortController',
    class extends Original {
      constructor() {
        super()
        made++
      }
    },
  )
  await run()
  return made
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('stream responses', () => {
  it('a stream whose function never reads ctx.signal makes no AbortController, and still ends when its client leaves', async () => {
    const app = createApp({ sse: { heartbeatMs: 0 } })
    let finalized = false
    const func = defineFunction({
      func: async function* () {
        try {
          for (let i = 1; ; i++) {
            yield { i }
            await new Promise((resolve) => setTimeout(resolve, 5))
          }
        } finally {
          finalized = true
        }
      },
    })
    wireHTTP(app, { method: 'get', route: '/s', func })
    const handle = createHandler(app)
    const made = await controllersMade(async () => {
      const { core, leave } = request('/s')
      const body = (await handle(core)).body as AsyncIterable<string>
      const chunks = body[Symbol.asyncIterator]()
      await chunks.next()
      expect((await chunks.next()).value).toBe('data: {"i":1}\n\n')
      leave()
      // What was produced before it left may still come; then the end.
      let next = await chunks.next()
      while (next.done !== true) next = await chunks.next()
      await vi.waitFor(() => expect(finalized).toBe(true))
    })
    expect(made).toBe(0)
  })

  it('a function that reads ctx.signal sees it abort with the reason the stream ended', async () => {
    const app = createApp({ sse: { heartbeatMs: 0 } })
    let signal: AbortSignal | undefined
    const func = defineFunction({
      func: async function* (ctx) {
        signal = ctx.signal
        yield { i: 1 }
      },
    })
    wireHTTP(app, { method: 'get', route: '/s', func })
    const { core } = request('/s')
    const body = (await createHandler(app)(core)).body as AsyncIterable<string>
    for await (const _ of body);
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toMatchObject({ code: 'STREAM_ENDED' })
  })
})
