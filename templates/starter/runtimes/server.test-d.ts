import { expectTypeOf, it } from 'vitest'
import * as express from './express/server'
import * as fastify from './fastify/server'
import * as node from './node/server'
import * as uws from './uws/server'

// The shared code (src/main.ts, the tests) calls whichever server.ts init writes: one shape.
it('every runtime part exports the same startServer', () => {
  expectTypeOf(express.startServer).toEqualTypeOf(node.startServer)
  expectTypeOf(fastify.startServer).toEqualTypeOf(node.startServer)
  expectTypeOf(uws.startServer).toEqualTypeOf(node.startServer)
})
