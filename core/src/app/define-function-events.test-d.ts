import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { withEvent } from '../stream/with-event'
import { defineFunction, type SluiceFunction } from './define-function'

type EventOf<F> = F extends SluiceFunction<unknown, infer E> ? E : never

const Progress = z.object({ done: z.number(), total: z.number() })
const LogLine = z.object({ line: z.string() })
const Result = z.object({ ok: z.boolean() })

describe('defineFunction: events (several kinds)', () => {
  it('takes a yield of each declared kind and types the events a client receives', () => {
    const _f = defineFunction({
      events: { progress: Progress, log: LogLine },
      output: Result,
      func: async function* () {
        yield withEvent({ event: 'progress', id: '1' }, { done: 1, total: 2 })
        yield withEvent({ event: 'log' }, { line: 'half way' })
        return { ok: true }
      },
    })
    expectTypeOf<EventOf<typeof _f>>().toEqualTypeOf<
      | { event: 'progress'; data: { done: number; total: number }; id?: string }
      | { event: 'log'; data: { line: string }; id?: string }
    >()
  })

  it('refuses a kind the function does not declare', () => {
    defineFunction({
      events: { progress: Progress, log: LogLine },
      // @ts-expect-error: `audit` is not one of the declared kinds
      func: async function* () {
        yield withEvent({ event: 'audit' }, { line: 'x' })
      },
    })
  })

  it('refuses data of the wrong kind', () => {
    defineFunction({
      events: { progress: Progress, log: LogLine },
      // @ts-expect-error: a log line is not progress
      func: async function* () {
        yield withEvent({ event: 'progress' }, { line: 'x' })
      },
    })
  })

  it('refuses a bare value unless `message` is declared, and takes it when it is', () => {
    defineFunction({
      events: { progress: Progress },
      // @ts-expect-error: a value without a name is the `message` kind, not declared here
      func: async function* () {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- the case under test
        yield { done: 1, total: 1 }
      },
    })
    defineFunction({
      input: z.object({ to: z.number() }),
      events: { message: Progress, log: LogLine },
      output: Result,
      func: async function* ({ input }) {
        expectTypeOf(input.to).toEqualTypeOf<number>()
        yield { done: 1, total: 1 }
        yield withEvent({ id: '2' }, { done: 2, total: 2 })
        yield withEvent({ event: 'log' }, { line: 'x' })
        return { ok: true }
      },
    })
  })

  it('refuses done and error as kind names', () => {
    // @ts-expect-error: `done` is sluice's own event
    defineFunction({ events: { done: Progress }, func: async function* () {} })
    // @ts-expect-error: `error` is sluice's own event
    defineFunction({ events: { error: Progress }, func: async function* () {} })
  })

  it('types channel.send by kind on a progressive function', () => {
    defineFunction({
      events: { log: LogLine },
      output: Result,
      func: ({ channel }) => {
        channel?.send(withEvent({ event: 'log' }, { line: 'x' }))
        // @ts-expect-error: `audit` is not declared
        channel?.send(withEvent({ event: 'audit' }, { line: 'x' }))
        return { ok: true }
      },
    })
  })
})
