import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { CoreRequest, CoreResponse } from '../adapter/types'
import { createApp } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { createHandler } from '../http/handle-request'
import { HubEvent, ReplayGapError } from './event-hub'
import { createMemoryHub } from './memory-hub'
import { pipeToChannel } from './pipe-to-channel'

type Tick = { n: number }

function request(url: string, headers: Record<string, string> = {}) {
  const client = new AbortController()
  const core: CoreRequest = {
    method: 'GET',
    url,
    headers: { accept: 'text/event-stream', ...headers },
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: client.signal,
  }
  return { core, client }
}

/** A JSON answer's body as text, whether the handler gave a string or bytes. */
function bodyText(response: CoreResponse): string {
  const { body } = response
  return typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array)
}

/** Reads a stream body until it has `count` events (blank-line separated blocks with data). */
async function readEvents(response: CoreResponse, count: number): Promise<string[]> {
  const body = (response.body as AsyncIterable<string>)[Symbol.asyncIterator]()
  let text = ''
  const events = () => text.split('\n\n').filter((block) => block.includes('data:'))
  while (events().length < count) {
    const step = await body.next()
    if (step.done === true) break
    text += step.value
  }
  await body.return?.()
  return events()
}

function setup() {
  const hub = createMemoryHub<Record<string, Tick>>()
  const app = createApp({ sse: { openWaitMs: 20 } })
  const onError = vi.fn()
  const feed = defineFunction({
    input: z.object({ topic: z.string(), reset: z.string().optional() }),
    event: z.object({ n: z.number() }),
    // The whole integration: a subscription is a generator of envelopes carrying the hub's ids.
    func: async function* ({ input, signal, lastEventId }) {
      const onReset = input.reset === undefined ? undefined : () => ({ n: -1 })
      yield* hub.subscribe(input.topic, { signal, lastEventId, onReset })
    },
  })
  const status = defineFunction({
    event: z.object({ n: z.number() }),
    output: z.object({ n: z.number() }),
    func: ({ channel, signal, lastEventId }) => {
      if (channel) void pipeToChannel(hub.subscribe('status', { signal, lastEventId }), channel, { onError })
      return { n: 0 }
    },
  })
  wireHTTP(app, { method: 'get', route: '/feed', func: feed })
  wireHTTP(app, { method: 'get', route: '/status', func: status, sse: true })
  return { hub, handle: createHandler(app), onError }
}

describe('a hub behind routes', () => {
  it('streams a subscription from a generator with the hub ids, and releases it when the client leaves', async () => {
    const { hub, handle } = setup()
    const { core, client } = request('/feed?topic=a')
    const response = await handle(core)
    expect(response.status).toBe(200)
    const ids = [await hub.publish('a', { n: 1 }), await hub.publish('a', { n: 2 })]
    const events = await readEvents(response, 2)
    expect(events.slice(-2)).toEqual([`id: ${ids[0]}\ndata: {"n":1}`, `id: ${ids[1]}\ndata: {"n":2}`])
    client.abort()
    await vi.waitFor(() => expect(hub.stats().subscribers).toBe(0))
  })

  it('resumes after Last-Event-ID', async () => {
    const { hub, handle } = setup()
    const ids = [
      await hub.publish('b', { n: 1 }),
      await hub.publish('b', { n: 2 }),
      await hub.publish('b', { n: 3 }),
    ]
    const response = await handle(request('/feed?topic=b', { 'last-event-id': ids[0] ?? '' }).core)
    const events = await readEvents(response, 2)
    expect(events.slice(-2)).toEqual([`id: ${ids[1]}\ndata: {"n":2}`, `id: ${ids[2]}\ndata: {"n":3}`])
  })

  it('answers 409 REPLAY_GAP before the first byte for an id it cannot resume, or sends the reset event', async () => {
    const { hub, handle } = setup()
    const id = await hub.publish('c', { n: 1 })
    const gone = await handle(request('/feed?topic=c', { 'last-event-id': 'x-1' }).core)
    expect(gone.status).toBe(409)
    expect(JSON.parse(bodyText(gone))).toMatchObject({
      error: { code: 'REPLAY_GAP' },
    })
    const reset = await handle(request('/feed?topic=c&reset=1', { 'last-event-id': 'x-1' }).core)
    expect(reset.status).toBe(200)
    expect((await readEvents(reset, 1)).at(-1)).toBe(`id: ${id}\ndata: {"n":-1}`)
  })

  it('pipes a subscription into a progressive route channel after its value', async () => {
    const { hub, handle } = setup()
    const { core, client } = request('/status')
    const response = await handle(core)
    const id = await hub.publish('status', { n: 7 })
    expect(await readEvents(response, 2)).toEqual(['data: {"n":0}', `id: ${id}\ndata: {"n":7}`])
    client.abort()
    await vi.waitFor(() => expect(hub.stats().subscribers).toBe(0))
  })

  it('closes the channel and reports the error when a piped subscription fails', async () => {
    const { handle, onError } = setup()
    const response = await handle(request('/status', { 'last-event-id': 'x-1' }).core)
    const events = await readEvents(response, 2)
    expect(events).toEqual(['data: {"n":0}', 'event: done\ndata: null'])
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(ReplayGapError)
  })

  it('pipes a published event to the channel before publish returns (no promise per event)', async () => {
    const hub = createMemoryHub()
    const subscription = hub.subscribe('t', { signal: new AbortController().signal })
    const sent: unknown[] = []
    const channel = { closed: false, close: vi.fn(), send: (event: unknown) => sent.push(event) > 0 }
    const piping = pipeToChannel(subscription, channel)
    await Promise.resolve()
    const published = hub.publish('t', 1)
    expect(sent.map((event) => (event as HubEvent<number>).data)).toEqual([1])
    await published
    await hub.close()
    await piping
    expect(hub.stats().subscribers).toBe(0)
  })

  it('stops piping when the channel refuses a send', async () => {
    const hub = createMemoryHub()
    const subscription = hub.subscribe('t', { signal: new AbortController().signal })
    const sent: unknown[] = []
    const channel = { closed: false, close: vi.fn(), send: (event: unknown) => sent.push(event) < 2 }
    const piping = pipeToChannel(subscription, channel)
    for (let n = 0; n < 3; n++) await hub.publish('t', n)
    await piping
    expect(sent.map((event) => (event as HubEvent<number>).data)).toEqual([0, 1])
    expect(hub.stats().subscribers).toBe(0)
    expect(channel.close).not.toHaveBeenCalled()
  })
})
