import type { RouteSpec } from './build-request'
import { toCancelledError, toNetworkError } from './client-error'
import type { ResolvedClient } from './options'

/** Builds one attempt's URL and init afresh (headers included, so a retry carries a new token). */
export type PrepareRequest = () => Promise<[url: string, init: RequestInit]>

/**
 * Sends one request through `onRequest` and `onResponse` (when the client has them). Rejects
 * with `CANCELLED` when `signal` aborted it, `NETWORK` when fetch failed; a hook's throw as it is.
 */
export async function sendRequest(
  client: ResolvedClient,
  route: RouteSpec,
  prepare: PrepareRequest,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const { onRequest, onResponse } = client
  if (onRequest === undefined && onResponse === undefined) {
    const [url, init] = await prepare()
    return send(client, url, init, signal)
  }
  const attempt = async (): Promise<[Request, Response]> => {
    const [url, init] = await prepare()
    const built = new Request(url, init)
    const request = (await onRequest?.({ request: built, route })) ?? built
    // The call's signal again, in case the hook made a Request without it: cancelling must still work.
    return [request, await send(client, request, { signal }, signal)]
  }
  const [request, response] = await attempt()
  if (onResponse === undefined) return response
  let used = false
  let retried: Response | undefined
  const retry = async (): Promise<Response> => {
    if (used) throw new TypeError('sluice: retry() sends a request again only once')
    used = true
    // Its connection is not needed any more (a body already read cannot be cancelled: ignored).
    await response.body?.cancel().catch(() => undefined)
    retried = (await attempt())[1]
    return retried
  }
  return (await onResponse({ request, response, route, retry })) ?? retried ?? response
}

async function send(
  client: ResolvedClient,
  input: string | Request,
  init: RequestInit | undefined,
  signal: AbortSignal | undefined,
): Promise<Response> {
  try {
    return await client.fetch(input, init)
  } catch (error) {
    throw signal?.aborted === true ? toCancelledError(signal.reason) : toNetworkError(error)
  }
}
