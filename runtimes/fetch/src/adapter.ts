import { createHandler, type App } from '@sluice/core/adapter'
import { sendCoreResponse } from './send-core-response'
import { toCoreRequest } from './to-core-request'

/**
 * A web-standard handler: a `Request` in, a `Promise<Response>` out. It also takes `fetch`'s
 * own arguments (a URL and an init), so it can stand in for `fetch` in a client: no socket.
 */
export type FetchHandler = (input: Request | string | URL, init?: RequestInit) => Promise<Response>

/**
 * Creates the fetch handler of a sluice app: `Bun.serve({ fetch })`, `Deno.serve(handler)`,
 * `export default { fetch: handler }` on Workers, or `createClient({ fetch: handler })` in tests.
 */
export function createFetchHandler(app: App): FetchHandler {
  const handle = createHandler(app)
  return async (input, init) => {
    // Workers call `fetch(request, env, ctx)` and Deno `handler(request, info)`: with a Request
    // in hand the second argument is the runtime's, never a RequestInit.
    const request = typeof input === 'string' || input instanceof URL ? new Request(input, init) : input
    const core = toCoreRequest(request)
    const response = await handle(core)
    try {
      return sendCoreResponse(response, core.method, { onDrop: (drop) => core.onDrop(drop) })
    } catch (error) {
      // Only a runtime fault gets here (core answers every error itself), e.g. a header value
      // `Headers` refuses. Say nothing specific, and end a stream nobody will read.
      console.error('sluice: could not build the response:', error)
      const { body } = response
      if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
        await body[Symbol.asyncIterator]().return?.()
      }
      return new Response(INTERNAL, {
        status: 500,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      })
    }
  }
}

const INTERNAL = JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal server error' } })
