import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createApp, type AppOptions } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import { createHandler } from '../http/handle-request'
import type { ObservedEnd, ObservedEvent } from '../observe/observer'
import { withEvent } from '../stream/with-event'
import { coreRequest, jsonOf, readStream } from './core-request.test-util'
import { defineMiddleware, type Middleware } from './define-middleware'

const trail: string[] = []

function tracer(name: string): Middleware {
  return defineMiddleware({
    name,
    handle: async (_ctx, next) => {
      trail.push(`${name} in`)
      const answer = await next()
      trail.push(`${name} out ${answer.status}`)
      return answer
    },
  })
}

const withUser = defineMiddleware({
  name: 'withUser',
  handle: async (ctx, next) => {
    const token = ctx.request.headers['authorization']
    if (token !== 'Bearer ada') throw new WireError('UNAUTHORIZED', 'Who are you?')
    ctx.setHeader('x-user', 'ada')
    return next({ user: { name: 'ada', admin: true } })
  },
})

function appWith(options: AppOptions = {}) {
  const onError = vi.fn()
  const app = createApp({ onError, sse: { heartbeatMs: 0 }, ...options })
  return { app, onError, handle: () => createHandler(app) }
}

describe('middleware', () => {
  it('runs onion-style, app then route then function, and the function sees what they added', async () => {
    trail.length = 0
    const { app, handle } = appWith({ use: [tracer('app')] })
    const whoAmI = defineFunction({
      use: [tracer('func'), withUser],
      func: ({ vars }) => {
        trail.push('func')
        return { name: vars.user.name, admin: vars.user.admin }
      },
    })
    wireHTTP(app, { method: 'get', route: '/me', func: whoAmI, use: [tracer('route')] })
    const response = await handle()(coreRequest('GET', '/me', { authorization: 'Bearer ada' }))
    expect(jsonOf(response)).toEqual({ name: 'ada', admin: true })
    expect(response.headers['x-user']).toBe('ada')
    expect(trail).toEqual([
      'app in',
      'route in',
      'func in',
      'func',
      'func out 200',
      'route out 200',
      'app out 200',
    ])
  })

  it('answers early with a WireError: the function never runs, the headers set so far are sent', async () => {
    const func = vi.fn(() => ({ ok: true }))
    const { app, handle } = appWith({
      use: [defineMiddleware({ handle: (ctx, next) => (ctx.setHeader('x-request-id', 'r1'), next()) })],
    })
    wireHTTP(app, { method: 'get', route: '/me', func: defineFunction({ use: [withUser], func }) })
    const response = await handle()(coreRequest('GET', '/me'))
    expect(response.status).toBe(401)
    expect(jsonOf(response)).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Who are you?' } })
    expect(response.headers['x-request-id']).toBe('r1')
    expect(func).not.toHaveBeenCalled()
  })

  it('turns a middleware that throws anything else into a 500 INTERNAL, logged, nothing leaked', async () => {
    const broken = defineMiddleware({
      handle: () => Promise.reject(new Error('db password is hunter2')),
    })
    const { app, handle, onError } = appWith({ use: [broken] })
    wireHTTP(app, { method: 'get', route: '/x', func: defineFunction({ func: () => 1 }) })
    const response = await handle()(coreRequest('GET', '/x'))
    expect(response.status).toBe(500)
    expect(jsonOf(response)).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } })
    expect(onError).toHaveBeenCalledOnce()
  })

  it('refuses a middleware that calls next() twice or does not return its answer (500, logged)', async () => {
    const twice = defineMiddleware({ name: 'twice', handle: async (_ctx, next) => (await next(), next()) })
    const forgets = defineMiddleware({
      name: 'forgets',
      handle: async (_ctx, next) => {
        await next()
        return undefined as never
      },
    })
    for (const layer of [twice, forgets]) {
      const { app, handle, onError } = appWith({ use: [layer] })
      wireHTTP(app, { method: 'get', route: '/x', func: defineFunction({ func: () => 1 }) })
      expect((await handle()(coreRequest('GET', '/x'))).status).toBe(500)
      expect(String(onError.mock.calls[0]?.[0])).toContain(layer.name)
    }
  })

  it('refuses at wiring a use entry that is not a middleware', () => {
    const { app } = appWith()
    const func = defineFunction({ func: () => 1 })
    expect(() => wireHTTP(app, { method: 'get', route: '/x', func, use: [{} as never] })).toThrow(
      /use\[0\] is not a middleware; write defineMiddleware/,
    )
  })

  it('observes each event of a stream and how it ended, with the same hooks as a JSON answer', async () => {
    const seen: ObservedEvent[] = []
    const ends: ObservedEnd[] = []
    const observe = defineMiddleware({
      handle: (ctx, next) => {
        ctx.onEvent((event) => seen.push(event))
        ctx.onEnd((end) => ends.push(end))
        ctx.setHeader('x-observed', 'yes')
        return next()
      },
    })
    const { app, handle } = appWith({ use: [observe] })
    const count = defineFunction({
      input: z.object({ to: z.coerce.number() }),
      event: z.object({ i: z.number() }),
      async *func({ input }) {
        for (let i = 1; i <= input.to; i++) yield withEvent({ id: String(i) }, { i })
        return { total: input.to }
      },
    })
    wireHTTP(app, { method: 'get', route: '/count', func: count })
    wireHTTP(app, { method: 'get', route: '/plain', func: defineFunction({ func: () => ({ ok: 1 }) }) })
    const response = await handle()(coreRequest('GET', '/count?to=3'))
    expect(response.headers['x-observed']).toBe('yes')
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(ends).toEqual([]) // the stream has not ended yet
    const text = await readStream(response)
    expect(seen.map((event) => [event.data, event.id])).toEqual([
      [{ i: 1 }, '1'],
      [{ i: 2 }, '2'],
      [{ i: 3 }, '3'],
    ])
    const eventBytes = text.length - text.indexOf('id: 1') // ASCII: the frames after the opening line
    expect(ends).toMatchObject([{ status: 200, stream: true, reason: 'done', events: 3, bytes: eventBytes }])
    await handle()(coreRequest('GET', '/plain'))
    expect(ends[1]).toMatchObject({ status: 200, stream: false, reason: 'done', events: 0 })
  })
})

describe('middleware: end reasons of a stream', () => {
  function streamApp(options: AppOptions, func: () => AsyncGenerator<unknown, unknown>) {
    const ends: ObservedEnd[] = []
    const { app, handle } = appWith({
      ...options,
      use: [defineMiddleware({ handle: (ctx, next) => (ctx.onEnd((end) => ends.push(end)), next()) })],
    })
    wireHTTP(app, { method: 'get', route: '/s', func: defineFunction({ func }) })
    return { ends, handle: handle() }
  }

  it('error: an error event after the first byte', async () => {
    const { ends, handle } = streamApp({}, async function* () {
      yield 1
      throw new WireError('FAILED', 'gave up')
    })
    await readStream(await handle(coreRequest('GET', '/s')))
    expect(ends).toMatchObject([{ reason: 'error', events: 1, error: { code: 'FAILED' } }])
  })

  it('client-closed: the client left mid-stream', async () => {
    const { ends, handle } = streamApp({}, async function* () {
      for (let i = 0; ; i++) {
        yield i
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })
    await readStream(await handle(coreRequest('GET', '/s')), 2)
    await vi.waitFor(() => expect(ends).toMatchObject([{ reason: 'client-closed', stream: true }]))
  })

  it('max-duration: the stream reached maxDurationMs', async () => {
    const { ends, handle } = streamApp({ sse: { heartbeatMs: 0, maxDurationMs: 30 } }, async function* () {
      for (;;) {
        yield 1
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })
    await readStream(await handle(coreRequest('GET', '/s')))
    expect(ends).toMatchObject([{ reason: 'max-duration', stream: true }])
  })

  it('an error before the first byte is a JSON answer that ended with an error', async () => {
    const { ends, handle } = streamApp({}, async function* () {
      throw new WireError('NOT_FOUND', 'no such job')
    })
    expect((await handle(coreRequest('GET', '/s'))).status).toBe(404)
    expect(ends).toMatchObject([
      { status: 404, stream: false, reason: 'error', error: { code: 'NOT_FOUND' } },
    ])
  })
})
