import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { defineFunction } from '../app/define-function'
import { WireError } from '../errors/wire-error'
import { defineMiddleware, type Middleware } from './define-middleware'

interface User {
  id: string
  admin: boolean
}

const withUser = defineMiddleware({
  handle: async (ctx, next) => {
    if (ctx.request.headers['authorization'] === undefined) throw new WireError('UNAUTHORIZED', 'no')
    const user: User = { id: 'u1', admin: false }
    return next({ user })
  },
})
const withRequestId = defineMiddleware({
  handle: (_ctx, next) => next({ requestId: 'r1' }),
})
const observeOnly = defineMiddleware({
  handle: async (ctx, next) => {
    ctx.onEnd(() => undefined)
    return next()
  },
})

describe('the context middleware adds', () => {
  it('is inferred from what the middleware passes to next()', () => {
    expectTypeOf(withUser).toEqualTypeOf<Middleware<{ user: User }>>()
    expectTypeOf(withRequestId).toEqualTypeOf<Middleware<{ requestId: string }>>()
  })

  it('is typed in ctx.vars of a function that uses it, all of them together', () => {
    defineFunction({
      input: z.object({ q: z.string() }),
      use: [withRequestId, withUser, observeOnly],
      func: ({ vars, input }) => {
        expectTypeOf(vars.user).toEqualTypeOf<User>()
        expectTypeOf(vars.requestId).toEqualTypeOf<string>()
        expectTypeOf(input).toEqualTypeOf<{ q: string }>()
        return { admin: vars.user.admin }
      },
    })
  })

  it('is typed in a stream function too', () => {
    defineFunction({
      use: [withUser],
      event: z.object({ id: z.string() }),
      async *func({ vars }) {
        yield { id: vars.user.id }
      },
    })
  })

  it('is not there in a function that does not use the middleware', () => {
    defineFunction({
      func: ({ vars }) => {
        // @ts-expect-error -- no middleware adds `user` to this function
        const user: unknown = vars.user
        return { user }
      },
    })
    defineFunction({
      use: [withRequestId],
      func: ({ vars }) => {
        // @ts-expect-error -- withRequestId adds requestId, not user
        const user: unknown = vars.user
        return { user }
      },
    })
  })

  it('keeps its declared type: a function cannot treat it as another type', () => {
    defineFunction({
      use: [withUser],
      func: ({ vars }) => {
        // @ts-expect-error -- user.admin is a boolean
        const name: string = vars.user.admin
        return name
      },
    })
  })
})
