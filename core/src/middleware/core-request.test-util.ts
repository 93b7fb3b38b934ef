import type { CoreRequest, CoreResponse } from '../adapter/types'

/** A neutral request for handler tests; `client.abort()` is the client leaving. */
export function coreRequest(
  method: string,
  url: string,
  headers: Record<string, string> = {},
): CoreRequest & { client: AbortController } {
  const client = new AbortController()
  return {
    method,
    url,
    headers,
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    signal: client.signal,
    client,
  }
}

/** The JSON body of a string response. */
export function jsonOf(response: CoreResponse): unknown {
  if (typeof response.body !== 'string') throw new Error('not a JSON body')
  return JSON.parse(response.body) as unknown
}

/** Reads a stream body to its end (or `limit` chunks, then returns it as a client leaving would). */
export async function readStream(response: CoreResponse, limit = Infinity): Promise<string> {
  const { body } = response
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    throw new Error('the body is not a stream')
  }
  let text = ''
  let chunks = 0
  for await (const chunk of body) {
    text += chunk
    if (++chunks >= limit) break
  }
  return text
}
