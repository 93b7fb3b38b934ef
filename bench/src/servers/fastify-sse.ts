import fastifySse from '@fastify/sse'
import Fastify, { type FastifyReply } from 'fastify'
import type { Message } from '../hub'
import { floodCount, JSON_BODY, type StartServer } from './types'

/** Bare Fastify 5: a route returning the object, and SSE through `@fastify/sse` as its README shows. */
export const fastifySseServer: StartServer = async (port) => {
  const subscribers = new Set<FastifyReply>()
  const fastify = Fastify({ forceCloseConnections: true })
  await fastify.register(fastifySse)
  fastify.get('/json', async () => JSON_BODY)
  fastify.get('/one', { sse: 'only' }, async (_request, reply) => {
    await reply.sse.send({ data: { i: 1 } })
  })
  fastify.get('/flood', { sse: 'only' }, async (request, reply) => {
    const n = floodCount(request.url)
    async function* events() {
      for (let i = 1; i <= n; i++) yield { data: { i } }
    }
    await reply.sse.send(events())
  })
  fastify.get('/sub', { sse: 'only' }, async (_request, reply) => {
    reply.sse.keepAlive()
    reply.sse.sendHeaders()
    reply.raw.flushHeaders() // writeHead alone leaves the headers buffered until a first write
    subscribers.add(reply)
    reply.sse.onClose(() => subscribers.delete(reply))
  })
  fastify.get('/idle', { sse: 'only' }, async (_request, reply) => {
    reply.sse.keepAlive()
    reply.sse.sendHeaders()
    reply.raw.flushHeaders() // writeHead alone leaves the headers buffered until a first write
  })
  await fastify.listen({ port, host: '127.0.0.1' })
  return {
    publish: (message: Message) => {
      for (const reply of subscribers) reply.sse.send({ data: message }).catch(() => undefined)
    },
    subscribers: () => subscribers.size,
    close: () => fastify.close(),
  }
}
