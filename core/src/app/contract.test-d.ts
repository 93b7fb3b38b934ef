import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { WireError } from '../errors/wire-error'
import { createApp } from './create-app'
import { defineFunction, type FunctionContext, type Session, type SessionFor } from './define-function'
import { wireHTTP } from './wire-http'

// The typed parts of a route's contract: sessions, success statuses and declared errors.

describe('sessions', () => {
  it('types session without undefined when the function declares auth: true', () => {
    defineFunction({
      auth: true,
      func: ({ session }) => {
        expectTypeOf(session).toEqualTypeOf<Session>()
        return null
      },
    })
    defineFunction({
      func: ({ session }) => {
        expectTypeOf(session).toEqualTypeOf<Session | undefined>()
        return null
      },
    })
  })

  it('leaves undefined out exactly when auth is true (with a registered session type)', () => {
    interface User {
      id: string
    }
    expectTypeOf<SessionFor<true, User>>().toEqualTypeOf<User>()
    expectTypeOf<SessionFor<false, User>>().toEqualTypeOf<User | undefined>()
    expectTypeOf<SessionFor<boolean, User>>().toEqualTypeOf<User | undefined>()
    // @ts-expect-error: a route that needs a session never sees undefined
    const _none: SessionFor<true, User> = undefined
    const _maybe: SessionFor<false, User> = undefined
    // The context's `session` is this type, over the registered `Session`.
    expectTypeOf<FunctionContext<unknown, unknown, unknown, true>['session']>().toEqualTypeOf<
      SessionFor<true>
    >()
    expectTypeOf<FunctionContext<unknown, unknown, unknown, false>['session']>().toEqualTypeOf<
      SessionFor<false>
    >()
  })

  it('refuses auth: false at wiring for a function that needs a session', () => {
    const app = createApp()
    const mine = defineFunction({ auth: true, func: () => null })
    wireHTTP(app, { method: 'get', route: '/me', func: mine })
    wireHTTP(app, { method: 'get', route: '/me2', func: mine, auth: true })
    // @ts-expect-error: the function declares auth: true
    wireHTTP(app, { method: 'get', route: '/me3', func: mine, auth: false })
    const open = defineFunction({ func: () => null })
    wireHTTP(app, { method: 'get', route: '/open', func: open, auth: false })
  })
})

describe('success statuses', () => {
  it('takes 200, 201 or 202 and nothing else', () => {
    defineFunction({ status: 201, func: ({ setHeader }) => setHeader('location', '/jobs/1') })
    defineFunction({ status: 202, func: () => ({ queued: true }) })
    // @ts-expect-error: 204 is what `undefined` answers; other statuses are not success statuses
    defineFunction({ status: 204, func: () => null })
  })
})

describe('declared errors', () => {
  const errors = {
    NOT_FOUND: { details: z.object({ jobId: z.string() }) },
    BUSY: { status: 409 },
  }

  it('makes declared errors with typed details through ctx.error', () => {
    defineFunction({
      input: z.object({ jobId: z.string() }),
      errors,
      func: ({ input, error }) => {
        expectTypeOf(error('NOT_FOUND', 'No such job', { jobId: input.jobId })).toEqualTypeOf<WireError>()
        if (input.jobId === 'busy') throw error('BUSY', 'Try later')
        throw error('NOT_FOUND', 'No such job', { jobId: input.jobId })
      },
    })
  })

  it('refuses an undeclared code, missing or wrong details, and details on a code without them', () => {
    defineFunction({
      errors,
      func: ({ error }) => {
        // @ts-expect-error: GONE is not declared
        void error('GONE', 'gone')
        // @ts-expect-error: NOT_FOUND declares details
        void error('NOT_FOUND', 'No such job')
        // @ts-expect-error: jobId is a string
        void error('NOT_FOUND', 'No such job', { jobId: 1 })
        // @ts-expect-error: BUSY declares no details
        void error('BUSY', 'Try later', { retry: 1 })
        return null
      },
    })
    defineFunction({
      func: ({ error }) => {
        // @ts-expect-error: a function without `errors` declares no code
        void error('NOT_FOUND', 'x')
        return null
      },
    })
  })

  it('carries the declared codes and their details types for the client generator', () => {
    const _f = defineFunction({ errors, func: () => null })
    type Errors = NonNullable<(typeof _f)['~types']>['errors']
    expectTypeOf<Errors>().toEqualTypeOf<{ NOT_FOUND: { jobId: string }; BUSY: undefined }>()
  })
})
