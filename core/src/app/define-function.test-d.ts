import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { withEvent, type EventEnvelope } from '../stream/with-event'
import { defineFunction, type Channel, type SluiceFunction } from './define-function'

type TypesOf<F> =
  F extends SluiceFunction<infer I, infer E, infer O> ? { input: I; event: E; output: O } : never

/** The types a defined function carries, as a value for `expectTypeOf`. */
declare function typesOf<F>(f: F): TypesOf<F>

const Input = z.object({ jobId: z.string(), count: z.number().optional() })
const Progress = z.object({ done: z.number(), total: z.number() })
const Result = z.object({ jobId: z.string() })
type Progress = { done: number; total: number }

describe('defineFunction: input', () => {
  it('infers input from a zod schema', () => {
    const f = defineFunction({
      input: Input,
      func: ({ input }) => {
        expectTypeOf(input).toEqualTypeOf<{ jobId: string; count?: number | undefined }>()
        return input.jobId
      },
    })
    expectTypeOf(typesOf(f).input).toEqualTypeOf<{ jobId: string; count?: number | undefined }>()
  })

  it('infers input from a JSON Schema written as const', () => {
    const schema = {
      type: 'object',
      properties: { to: { type: 'integer' }, tag: { type: 'string' } },
      required: ['to'],
      additionalProperties: false,
    } as const
    defineFunction({
      input: schema,
      func: ({ input }) => {
        expectTypeOf(input.to).toEqualTypeOf<number>()
        expectTypeOf(input.tag).toEqualTypeOf<string | undefined>()
        return null
      },
    })
  })

  it('gives a loose record as input without a schema', () => {
    const f = defineFunction({
      func: ({ input }) => {
        expectTypeOf(input).toEqualTypeOf<Record<string, unknown>>()
        return 1
      },
    })
    expectTypeOf(typesOf(f).input).toEqualTypeOf<Record<string, unknown>>()
  })

  it('refuses reading a property the input schema does not have', () => {
    defineFunction({
      input: Input,
      func: ({ input }) => {
        // @ts-expect-error: `missing` is not in the input schema
        return String(input.missing)
      },
    })
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    } as const
    defineFunction({
      input: schema,
      func: ({ input }) => {
        // @ts-expect-error: `b` is not in the JSON Schema
        return String(input.b)
      },
    })
  })
})

describe('defineFunction: events and output', () => {
  it('types yielded values by event and the return value by output', () => {
    const f = defineFunction({
      input: Input,
      event: Progress,
      output: Result,
      func: async function* ({ input }) {
        yield { done: 1, total: 2 }
        yield withEvent({ id: '2' }, { done: 2, total: 2 })
        return { jobId: input.jobId }
      },
    })
    expectTypeOf(typesOf(f).event).toEqualTypeOf<{ done: number; total: number }>()
    expectTypeOf(typesOf(f).output).toEqualTypeOf<{ jobId: string }>()
  })

  it('types a plain return value by output', () => {
    const f = defineFunction({ output: Result, func: async () => Promise.resolve({ jobId: 'x' }) })
    expectTypeOf(typesOf(f).output).toEqualTypeOf<{ jobId: string }>()
  })

  it('refuses a yielded value that does not match the event schema', () => {
    defineFunction({
      event: Progress,
      output: Result,
      // @ts-expect-error: `done` must be a number
      func: async function* () {
        yield { done: 'one', total: 2 }
        return { jobId: 'x' }
      },
    })
    defineFunction({
      event: Progress,
      // @ts-expect-error: the envelope's data must match the event schema too
      func: async function* () {
        yield withEvent({ id: '1' }, { nope: true })
      },
    })
  })

  it('refuses a return value that does not match the output schema', () => {
    defineFunction({
      event: Progress,
      output: Result,
      // @ts-expect-error: the generator must return { jobId: string }
      func: async function* () {
        yield { done: 1, total: 1 }
        return { jobId: 1 }
      },
    })
    defineFunction({
      output: Result,
      // @ts-expect-error: a plain function must return { jobId: string }
      func: () => ({ id: 'x' }),
    })
    defineFunction({
      output: Result,
      // @ts-expect-error: nor a promise of something else
      func: async () => Promise.resolve({ jobId: null }),
    })
  })

  it('takes types from the function when there are no schemas', () => {
    const plain = defineFunction({ func: () => ({ ok: true as const, n: 1 }) })
    expectTypeOf(typesOf(plain).output).toEqualTypeOf<{ ok: true; n: number }>()

    const asyncPlain = defineFunction({ func: async () => Promise.resolve('text') })
    expectTypeOf(typesOf(asyncPlain).output).toEqualTypeOf<string>()

    const stream = defineFunction({
      func: async function* () {
        yield { i: 1 }
        yield withEvent({ id: '2' }, { i: 2 })
        return { total: 2 }
      },
    })
    expectTypeOf(typesOf(stream).event).toEqualTypeOf<{ i: number }>()
    expectTypeOf(typesOf(stream).output).toEqualTypeOf<{ total: number }>()
  })
})

describe('defineFunction: channel', () => {
  it('types channel.send by event and channel.close by output', () => {
    defineFunction({
      event: Progress,
      output: Result,
      func: ({ channel }) => {
        expectTypeOf(channel).toEqualTypeOf<
          Channel<{ done: number; total: number }, { jobId: string }> | undefined
        >()
        if (channel !== undefined) {
          expectTypeOf(channel)
            .toHaveProperty('send')
            .parameter(0)
            .toEqualTypeOf<Progress | EventEnvelope<Progress>>()
          channel.send({ done: 1, total: 2 })
          channel.send(withEvent({ event: 'progress' }, { done: 2, total: 2 }))
          channel.close({ jobId: 'x' })
          channel.close()
        }
        return { jobId: 'x' }
      },
    })
  })

  it('refuses channel.send and close with a wrong type', () => {
    defineFunction({
      event: Progress,
      output: Result,
      func: ({ channel }) => {
        // @ts-expect-error: `done` must be a number
        channel?.send({ done: '1', total: 2 })
        // @ts-expect-error: an envelope's data is checked too
        channel?.send(withEvent({ id: '1' }, { other: 1 }))
        // @ts-expect-error: the close value must match the output schema
        channel?.close({ jobId: 1 })
        return { jobId: 'x' }
      },
    })
  })

  it('leaves channel.send open without an event schema', () => {
    defineFunction({
      func: ({ channel }) => {
        expectTypeOf(channel).toEqualTypeOf<Channel<unknown, unknown> | undefined>()
        return null
      },
    })
  })
})

describe('defineFunction: context', () => {
  it('gives the documented context fields', () => {
    defineFunction({
      func: (ctx) => {
        expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>()
        expectTypeOf(ctx.lastEventId).toEqualTypeOf<string | undefined>()
        expectTypeOf(ctx.request.params).toEqualTypeOf<Readonly<Record<string, string>>>()
        expectTypeOf(ctx.request.headers).toEqualTypeOf<Readonly<Record<string, string | undefined>>>()
        return null
      },
    })
  })
})

describe('defineFunction: a progressive route without an event schema', () => {
  it('types channel.send by the output schema', () => {
    defineFunction({
      output: z.object({ state: z.enum(['initial', 'done']) }),
      func: ({ channel }) => {
        expectTypeOf(channel).toEqualTypeOf<
          Channel<{ state: 'initial' | 'done' }, { state: 'initial' | 'done' }> | undefined
        >()
        channel?.send({ state: 'done' })
        // @ts-expect-error a state the output schema does not allow
        channel?.send({ state: 'pending' })
        return { state: 'initial' as const }
      },
    })
  })
})
