import { toHeaders, toRequestParts, type RequestParts, type RouteSpec } from './build-request'
import {
  SluiceClientError,
  toCancelledError,
  toNetworkError,
  toResponseError,
  toStreamError,
} from './client-error'
import type { ResolvedClient, RetryOptions, StreamCallOptions } from './options'
import { parseEventStream } from './parse-event-stream'

/** What a stream shares with its `StreamCall`: the last event id seen, sent as `Last-Event-ID` on reconnect. */
export interface StreamState {
  lastEventId: string | undefined
}

/** One stream call, with everything it needs to connect and reconnect. */
export interface StreamRequest {
  client: ResolvedClient
  route: RouteSpec
  input: unknown
  options: StreamCallOptions
  /** The function's declared kinds: each event is then yielded as `{ event, data, id }`. */
  kinds?: ReadonlySet<string> | undefined
}

// Gateways answer these while the server restarts; worth another try once the stream has been open.
const RETRYABLE_STATUS = new Set([502, 503, 504])

/**
 * Yields a stream's event values and returns its `done` value, reconnecting with
 * `Last-Event-ID` whenever the connection drops before `done` or `error`. Throws a
 * `SluiceClientError` for an `event: error`, an error status, a 204, a wrong content type,
 * too many failed connects in a row, or an abort of `signal`.
 */
export async function* streamEvents(
  request: StreamRequest,
  state: StreamState,
  signal: AbortSignal,
): AsyncGenerator<unknown, unknown, undefined> {
  const { client, route, input } = request
  const parts = toRequestParts(client.baseUrl, route, input)
  let failures = 0 // consecutive connects that did not open a stream
  let opened = false
  let serverRetry: number | undefined
  for (;;) {
    if (signal.aborted) throw toCancelledError(signal.reason)
    const response = await connect(request, parts, state, signal, opened)
    if (response instanceof SluiceClientError) {
      failures++
      if (failures >= client.retry.maxAttempts) throw toGaveUpError(response, failures)
    } else {
      failures = 0
      opened = true
      const outcome = yield* readEvents(response, state, signal, request.kinds, (ms) => (serverRetry = ms))
      if (outcome.done) return outcome.value
    }
    await pause(toReconnectDelay(client.retry, serverRetry, failures), client.retry, signal)
  }
}

/**
 * The wait before the next connect: the server's `retry` (else `initialDelayMs`), doubled for
 * each consecutive failed connect after the first, with jitter (x0.5 to x1.5), at most `maxDelayMs`.
 */
export function toReconnectDelay(
  retry: Required<Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'random'>>,
  serverRetry: number | undefined,
  failures: number,
): number {
  const base = (serverRetry ?? retry.initialDelayMs) * 2 ** Math.max(0, failures - 1)
  return Math.round(Math.min(retry.maxDelayMs, base * (0.5 + retry.random())))
}

/** An open stream's response; a failed connect worth retrying; or a throw for one that ends the call. */
async function connect(
  { client, route, options }: StreamRequest,
  parts: RequestParts,
  state: StreamState,
  signal: AbortSignal,
  reconnecting: boolean,
): Promise<Response | SluiceClientError> {
  // Computed on every attempt, so a reconnect carries a fresh token.
  const headers = await toHeaders(client, options.headers, {
    accept: 'text/event-stream',
    'content-type': parts.body === undefined ? undefined : 'application/json',
    'last-event-id': state.lastEventId,
  })
  let response: Response
  try {
    response = await client.fetch(parts.url, { method: route.method, headers, body: parts.body, signal })
  } catch (error) {
    if (signal.aborted) throw toCancelledError(signal.reason)
    return toNetworkError(error)
  }
  if (response.status === 204) {
    throw new SluiceClientError('NO_CONTENT', 'The server answered 204: there is no stream', { status: 204 })
  }
  if (!response.ok) {
    const error = await toResponseError(response)
    if (reconnecting && RETRYABLE_STATUS.has(response.status)) return error
    throw error
  }
  const type = response.headers.get('content-type') ?? ''
  if (type.split(';')[0]?.trim().toLowerCase() !== 'text/event-stream') {
    await response.body?.cancel().catch(() => undefined)
    throw new SluiceClientError('BAD_CONTENT_TYPE', `Expected text/event-stream, got "${type}"`, {
      status: response.status,
    })
  }
  return response
}

type Outcome = { done: true; value: unknown } | { done: false }

/** One connection's events; `done: false` when it ended (or failed) without `done` or `error`. */
async function* readEvents(
  response: Response,
  state: StreamState,
  signal: AbortSignal,
  kinds: ReadonlySet<string> | undefined,
  onRetry: (ms: number) => void,
): AsyncGenerator<unknown, Outcome, undefined> {
  if (response.body === null) return { done: false }
  // Each connection's parser starts with an empty last event id: only a change is news.
  let connectionId = ''
  try {
    for await (const event of parseEventStream(response.body, { onRetry, signal })) {
      if (event.lastEventId !== connectionId) {
        connectionId = event.lastEventId
        state.lastEventId = connectionId === '' ? undefined : connectionId
      }
      const name = event.event
      if (name === 'error') throw toStreamError(event.data)
      if (name === 'done') return { done: true, value: toValue(event.data, name) }
      if (kinds === undefined) yield toValue(event.data, name)
      // A kind this client was not generated with (a newer server) is skipped, unread: see docs/client.md.
      else if (kinds.has(name)) yield { event: name, data: toValue(event.data, name), id: state.lastEventId }
    }
  } catch (error) {
    if (error instanceof SluiceClientError) throw error
    if (signal.aborted) throw toCancelledError(signal.reason)
    // Anything else is the connection failing mid-stream: reconnect and resume.
  }
  return { done: false }
}

function toValue(data: string, name: string): unknown {
  try {
    return JSON.parse(data)
  } catch (error) {
    // The name comes from the server: cut short, so a runaway one cannot flood a log.
    const shown = name.length > 40 ? `${name.slice(0, 40)}...` : name
    throw new SluiceClientError('BAD_RESPONSE', `The data of a "${shown}" event is not JSON`, {
      cause: error,
    })
  }
}

async function pause(ms: number, retry: Required<RetryOptions>, signal: AbortSignal): Promise<void> {
  try {
    await retry.wait(ms, signal)
  } catch (error) {
    throw signal.aborted ? toCancelledError(signal.reason) : error
  }
}

function toGaveUpError(last: SluiceClientError, failures: number): SluiceClientError {
  return new SluiceClientError(last.code, `${last.message} (gave up after ${failures} failed connects)`, {
    status: last.status,
    details: last.details,
    cause: last,
  })
}
