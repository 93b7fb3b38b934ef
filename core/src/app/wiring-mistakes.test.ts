import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { CoreRequest } from '../adapter/types'
import { createHandler } from '../http/handle-request'
import { createApp } from './create-app'
import { defineFunction, type AnyFunction } from './define-function'
import { wireHTTP } from './wire-http'

// Every wiring mistake of issue 14: refused by `wireHTTP` with what to write instead, or
// served correctly. docs/decisions.md ("Wiring mistakes") says which and why.

const ok = defineFunction({ func: () => ({ ok: true }) })

function get(url: string, headers: Record<string, string> = {}): CoreRequest {
  return {
    method: 'GET',
    url,
    headers,
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: new AbortController().signal,
  }
}

async function answer(
  app: ReturnType<typeof createApp>,
  url: string,
): Promise<{ status: number; body: unknown }> {
  const response = await createHandler(app)(get(url))
  return { status: response.status, body: JSON.parse(response.body as string) }
}

describe('wireHTTP refuses wiring mistakes, saying what to write', () => {
  it("refuses OpenAPI's {param} syntax", () => {
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/a/{id}/b', func: ok })).toThrow(
      'sluice: route "/a/{id}/b" uses OpenAPI\'s {param} syntax; write "/a/:id/b"',
    )
  })

  it('refuses param names a router cannot take, and a param named twice', () => {
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/a/:my-id', func: ok })).toThrow(
      /":my-id" is not a param name/,
    )
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/a/:id/:id', func: ok })).toThrow(
      /names the param ":id" twice/,
    )
  })

  it('refuses a plain function as func, and anything not made by defineFunction', () => {
    const plain = () => ({ ok: true })
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/a', func: plain as never })).toThrow(
      'sluice: func of GET /a is a plain function; wrap it: func: defineFunction({ func: plain })',
    )
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/a', func: {} as AnyFunction })).toThrow(
      'sluice: func of GET /a must be made by defineFunction({ func, ... })',
    )
  })

  it('refuses a strict input object that leaves out a path param', () => {
    const func = defineFunction({ input: z.strictObject({ name: z.string() }), func: () => 1 })
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/users/:id', func })).toThrow(
      'sluice: the input schema of GET /users/:id is a strict object without the path param id; ' +
        'add id: z.string() (or z.coerce.number()) to it, or make it a non-strict object',
    )
  })

  it('refuses an input schema that is not an object on a route with path params', () => {
    const func = defineFunction({ input: z.string(), func: () => 1 })
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/users/:id', func })).toThrow(
      /input schema of GET \/users\/:id is a string, but path params are merged into the input; make it an object/,
    )
  })

  it('refuses two routes with the same name when the second is wired', () => {
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/a', func: ok, name: 'thing' })
    expect(() => wireHTTP(app, { method: 'get', route: '/b', func: ok, name: 'thing' })).toThrow(
      'sluice: GET /a and GET /b are both named "thing"; give one another name',
    )
    expect(app.routes.map((route) => route.path)).toEqual(['/a'])
    // A derived name that meets an explicit one takes the method as a prefix, as two derived ones do.
    wireHTTP(app, { method: 'post', route: '/thing', func: ok })
    expect(app.routes.map((route) => route.contract.name)).toEqual(['thing', 'postThing'])
  })

  it('refuses an event schema on a plain function wired without sse: true', () => {
    const status = defineFunction({
      event: z.object({ n: z.number() }),
      func: ({ channel }) => {
        channel?.send({ n: 1 })
        return { n: 0 }
      },
    })
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/status', func: status })).toThrow(
      'sluice: GET /status has an event schema but is not an async function*: to stream, write it as ' +
        'an async function* (yield* any other async iterable); to answer a value and push events ' +
        'through channel, wire it with sse: true (GET only)',
    )
    // Wired as the message says, it is a progressive route.
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/status', func: status, sse: true })
    expect(app.routes[0]?.contract.kind).toBe('progressive')
  })

  it('refuses sse: true on an async function*, which always streams', () => {
    const func = defineFunction({ func: async function* () {} })
    expect(() => wireHTTP(createApp(), { method: 'get', route: '/s', func, sse: true })).toThrow(
      /GET \/s is an async function\*, which always streams; remove sse: true/,
    )
  })

  it('refuses a success status on a stream, and auth: false on a function that needs a session', () => {
    const created = defineFunction({ status: 201, func: async function* () {} })
    expect(() => wireHTTP(createApp(), { method: 'post', route: '/s', func: created })).toThrow(
      'sluice: POST /s streams, and a stream always answers 200; remove status: 201',
    )
    const mine = defineFunction({ auth: true, func: ({ session }) => ({ session }) })
    // A type error too (define-function.test-d.ts); plain JavaScript gets the Error.
    expect(() =>
      wireHTTP(createApp(), { method: 'get', route: '/me', func: mine, auth: false as never }),
    ).toThrow('sluice: the function of GET /me declares auth: true; wire it without auth: false')
  })
})

describe('served correctly instead of refused', () => {
  it('coerces path and query strings to the numbers and booleans a Standard Schema input names', async () => {
    const app = createApp()
    const func = defineFunction({
      input: z.object({
        id: z.number().int(),
        page: z.number().optional(),
        all: z.boolean(),
        tags: z.array(z.number()),
      }),
      func: ({ input }) => input,
    })
    wireHTTP(app, { method: 'get', route: '/items/:id', func })
    expect(await answer(app, '/items/7?page=2.5&all=true&tags=3')).toEqual({
      status: 200,
      body: { id: 7, page: 2.5, all: true, tags: [3] },
    })
    // A string that does not spell a number stays a string: the schema refuses it as a 400.
    const bad = await answer(app, '/items/abc?all=false&tags=1&tags=2')
    expect(bad.status).toBe(400)
    const { error } = bad.body as { error: { code: string; message: string } }
    expect(error.code).toBe('VALIDATION_ERROR')
    expect(error.message).toMatch(/^Invalid input: id: /)
  })

  it('answers a plain function that returns a stream with a 500 naming the fix, on the first call', async () => {
    // The one case no check can see before a call: the function's result is only known by calling it.
    const errors: unknown[] = []
    const app = createApp({ onError: (error) => errors.push(error) })
    async function* events() {
      yield 1
    }
    wireHTTP(app, { method: 'get', route: '/feed', func: defineFunction({ func: () => events() as never }) })
    expect(await answer(app, '/feed')).toMatchObject({
      status: 500,
      body: { error: { code: 'INVALID_OUTPUT' } },
    })
    expect(String((errors[0] as Error).cause)).toMatch(
      /GET \/feed returned an async iterable but is wired as json; write its function as an async function\*/,
    )
  })
})
