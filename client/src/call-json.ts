import { toHeaders, toRequestParts, type RouteSpec } from './build-request'
import { SluiceClientError, toCancelledError, toNetworkError, toResponseError } from './client-error'
import type { CallOptions, ResolvedClient } from './options'
import { sendRequest } from './send-request'

/**
 * One plain call: the typed JSON answer, `undefined` for a 204. An error status, no answer,
 * an abort or a body that is not JSON rejects with a `SluiceClientError`. Never retried by the
 * client itself (a POST may not be safe to send twice); an `onResponse` hook may ask to.
 */
export async function callJson(
  client: ResolvedClient,
  route: RouteSpec,
  input: unknown,
  options: CallOptions = {},
): Promise<unknown> {
  const { signal } = options
  const { url, body } = toRequestParts(client.baseUrl, route, input)
  const response = await sendRequest(
    client,
    route,
    async () => {
      const headers = await toHeaders(client, options.headers, {
        // Asked for explicitly, so a progressive (`sse: true`) route answers its value as JSON.
        accept: 'application/json',
        'content-type': body === undefined ? undefined : 'application/json',
      })
      return [url, { method: route.method, headers, body, signal }]
    },
    signal,
  )
  if (!response.ok) throw await toResponseError(response)
  if (response.status === 204) return undefined
  return readJson(response, signal)
}

async function readJson(response: Response, signal: AbortSignal | undefined): Promise<unknown> {
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    throw signal?.aborted === true ? toCancelledError(signal.reason) : toNetworkError(error)
  }
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new SluiceClientError('BAD_RESPONSE', `The answer of ${response.url || 'the server'} is not JSON`, {
      status: response.status,
      cause: error,
    })
  }
}
