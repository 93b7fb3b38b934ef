import { createApp, defineFunction, wireHTTP } from '@sluice/core'

// A Worker that wires one JSON-Schema route on its first request and reports what happened:
// core validates JSON Schema with ajv, which compiles validators with `new Function`.
export default {
  fetch(): Response {
    try {
      const app = createApp()
      const echo = defineFunction({
        input: {
          type: 'object',
          properties: { message: { type: 'string' } },
          required: ['message'],
        } as const,
        func: ({ input }) => input,
      })
      wireHTTP(app, { method: 'post', route: '/echo', func: echo })
      return Response.json({ wired: true })
    } catch (error) {
      return Response.json({ wired: false, error: String(error) })
    }
  },
}
