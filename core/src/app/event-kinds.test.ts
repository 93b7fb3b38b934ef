import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createHandler } from '../http/handle-request'
import { coreRequest } from '../middleware/core-request.test-util'
import { withEvent } from '../stream/with-event'
import { createApp } from './create-app'
import { defineFunction, type AnyFunction } from './define-function'
import { wireHTTP } from './wire-http'

const Progress = z.object({ done: z.number() })
const LogLine = z.object({ line: z.string() })

const get = (url: string) => coreRequest('GET', url, { accept: 'text/event-stream' })

/** Wires `func` on GET /s, runs one request and returns the frames after the opening line. */
async function stream(func: AnyFunction, onError = vi.fn()): Promise<string[]> {
  const app = createApp({ sse: { heartbeatMs: 0 }, onError })
  wireHTTP(app, { method: 'get', route: '/s', func })
  const response = await createHandler(app)(get('/s'))
  const frames: string[] = []
  for await (const chunk of response.body as AsyncIterable<string>) frames.push(chunk)
  return frames
    .join('')
    .split(/(?<=\n\n)/)
    .slice(1)
}

// A function written in plain JavaScript, where types cannot stop a mistake.
const untyped = (definition: Record<string, unknown>) => definition as unknown as AnyFunction

describe('events: several named kinds', () => {
  it('sends each kind under its name, a value without a name as message, checked per kind', async () => {
    const func = defineFunction({
      events: { progress: Progress, log: LogLine, message: z.object({ note: z.string() }) },
      func: async function* () {
        yield withEvent({ event: 'progress', id: '1' }, { done: 1 })
        yield withEvent({ event: 'log' }, { line: 'x' })
        yield { note: 'plain' }
        return null
      },
    })
    expect(await stream(func)).toEqual([
      'event: progress\nid: 1\ndata: {"done":1}\n\n',
      'event: log\ndata: {"line":"x"}\n\n',
      'data: {"note":"plain"}\n\n',
      'event: done\ndata: null\n\n',
    ])
  })

  it('ends with INVALID_OUTPUT for a kind the function does not declare, and runs its finally', async () => {
    let finalized = false
    const onError = vi.fn()
    const func = untyped({
      events: { log: LogLine },
      func: async function* () {
        try {
          yield withEvent({ event: 'log' }, { line: 'x' })
          yield withEvent({ event: 'audit' }, { line: 'y' })
          yield withEvent({ event: 'log' }, { line: 'never sent' })
        } finally {
          finalized = true
        }
      },
    })
    expect(await stream(func, onError)).toEqual([
      'event: log\ndata: {"line":"x"}\n\n',
      'event: error\ndata: {"code":"INVALID_OUTPUT","message":"The server sent an event of kind \\"audit\\", which it does not declare"}\n\n',
    ])
    expect(finalized).toBe(true)
    expect(onError).toHaveBeenCalledOnce()
  })

  it('ends with INVALID_OUTPUT for a value without a name when message is not declared', async () => {
    const func = untyped({
      events: { log: LogLine },
      func: async function* () {
        yield { line: 'no name' }
      },
    })
    const frames = await stream(func)
    expect(frames).toHaveLength(1)
    expect(frames[0]).toContain('"code":"INVALID_OUTPUT"')
    expect(frames[0]).toContain('kind \\"message\\"')
  })

  it("ends with INVALID_OUTPUT for data that does not match its kind's schema", async () => {
    const func = untyped({
      events: { progress: Progress, log: LogLine },
      func: async function* () {
        yield withEvent({ event: 'log' }, { done: 1 })
      },
    })
    const frames = await stream(func)
    expect(frames).toEqual([
      'event: error\ndata: {"code":"INVALID_OUTPUT","message":"The server produced a value that does not match its schema"}\n\n',
    ])
  })

  it('sends a kind through channel.send on a progressive route, after the returned value', async () => {
    const func = defineFunction({
      events: { log: LogLine },
      output: z.object({ state: z.string() }),
      func: ({ channel }) => {
        channel?.send(withEvent({ event: 'log' }, { line: 'x' }))
        channel?.close({ state: 'done' })
        return { state: 'initial' }
      },
    })
    const app = createApp({ sse: { heartbeatMs: 0 } })
    wireHTTP(app, { method: 'get', route: '/p', func, sse: true })
    const response = await createHandler(app)(get('/p'))
    let text = ''
    for await (const chunk of response.body as AsyncIterable<string>) text += chunk
    expect(text).toContain('data: {"state":"initial"}\n\nevent: log\ndata: {"line":"x"}\n\nevent: done\n')
  })
})

describe('events: wiring mistakes', () => {
  const wire = (func: AnyFunction, sse = false) =>
    wireHTTP(createApp(), { method: 'get', route: '/s', func, sse })
  const gen = async function* () {}

  it('refuses done and error as kinds', () => {
    expect(() => wire(untyped({ events: { done: LogLine }, func: gen }))).toThrow(
      'sluice: events of GET /s: "done" cannot be a kind: event name "done" is reserved',
    )
    expect(() => wire(untyped({ events: { error: LogLine }, func: gen }))).toThrow(/"error" cannot be a kind/)
  })

  it('refuses names that cannot be an event line, no kinds, and a kind without a schema', () => {
    expect(() => wire(untyped({ events: { 'a\nb': LogLine }, func: gen }))).toThrow(
      /"a\\nb" cannot be a kind: event name must be a non-empty string without CR, LF, NUL/,
    )
    expect(() => wire(untyped({ events: {}, func: gen }))).toThrow(
      'sluice: events of GET /s must name at least one kind: events: { progress: Progress }',
    )
    expect(() => wire(untyped({ events: { log: undefined }, func: gen }))).toThrow(
      'sluice: events.log of GET /s must be a schema',
    )
  })

  it('refuses event and events together', () => {
    expect(() => wire(untyped({ event: LogLine, events: { log: LogLine }, func: gen }))).toThrow(
      'sluice: GET /s declares both event and events; keep events',
    )
  })

  it('refuses events on a function that cannot stream, and message on a progressive route', () => {
    expect(() => wire(untyped({ events: { log: LogLine }, func: () => 1 }))).toThrow(
      /GET \/s has events but is not an async function\*/,
    )
    const progressive = untyped({ events: { message: LogLine }, func: () => 1 })
    expect(() => wire(progressive, true)).toThrow(
      /GET \/s is sse: true, whose first event is the returned value .*something other than message/,
    )
  })
})
