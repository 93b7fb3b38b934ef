import { toHeaders, toRequestParts, type RequestParts, type RouteSpec } from './build-request'
import {
  SluiceClientError,
  toCancelledError,
  toNetworkError,
  toResponseError,
  toStreamError,
} from './client-error'
import type { ConnectionState } from './connection-state'
import type { ResolvedClient, RetryOptions, StreamCallOptions } from './options'
import { parseEventStream } from './parse-event-stream'
import { sendRequest } from './send-request'
import { watchSilence } from './watch-silence'

/**
 * What a stream shares with its `StreamCall`: the last event id seen (sent as `Last-Event-ID`
 * on reconnect), and where the connection's state changes are reported.
 */
export interface StreamState {
  lastEventId: string | undefined
  report(state: ConnectionState): void
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
/** The response header in which a sluice server names its heartbeat period, in ms. */
export const HEARTBEAT_HEADER = 'sluice-heartbeat-ms'

/**
 * Yields a stream's event values and returns its `done` value, reconnecting with
 * `Last-Event-ID` whenever the connection drops (or falls silent) before `done` or `error`.
 * Throws a `SluiceClientError` for an `event: error`, an error status, a 204, a wrong content
 * type, too many failed connects in a row, or an abort of `signal`.
 */
export async function* streamEvents(
  request: StreamRequest,
  state: StreamState,
  signal: AbortSignal,
): AsyncGenerator<unknown, unknown, undefined> {
  const { client } = request
  const parts = toRequestParts(client.baseUrl, request.route, request.input)
  let failures = 0 // consecutive connects that did not open a stream
  let opened = false
  let serverRetry: number | undefined
  for (;;) {
    if (signal.aborted) throw toCancelledError(signal.reason)
    state.report({ status: 'connecting', attempt: failures + 1 })
    // One controller per connection: a silent one is aborted alone, the call goes on.
    const connection = linkAbort(signal)
    let dropped: SluiceClientError
    try {
      const response = await connect(request, parts, state, connection.signal, opened)
      if (response instanceof SluiceClientError) {
        failures++
        if (failures >= client.retry.maxAttempts) throw toGaveUpError(response, failures)
        dropped = response
      } else {
        failures = 0
        opened = true
        state.report({ status: 'open' })
        const reading = {
          state,
          signal,
          connection,
          kinds: request.kinds,
          onRetry: (ms: number) => (serverRetry = ms),
        }
        const outcome = yield* readEvents(response, toTimeout(request, response), reading)
        if (outcome.done) return outcome.value
        dropped = outcome.error
      }
    } finally {
      connection.close()
    }
    const delayMs = toReconnectDelay(client.retry, serverRetry, failures)
    state.report({ status: 'reconnecting', attempt: failures + 1, delayMs, error: dropped })
    await pause(delayMs, client.retry, signal)
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

/**
 * How long an open stream may stay silent: the call's or the client's setting, else twice the
 * server's heartbeat plus 2 s (room for a late ping and a slow network); 0 for none.
 */
export function toTimeout({ client, options }: StreamRequest, response: Response): number {
  const configured = options.inactivityTimeoutMs ?? client.inactivityTimeoutMs
  if (configured !== undefined) return configured
  const heartbeat = Number(response.headers.get(HEARTBEAT_HEADER))
  return Number.isFinite(heartbeat) && heartbeat > 0 ? 2 * heartbeat + 2000 : 0
}

/** An AbortController that also follows `signal`; `close()` aborts it and stops following. */
function linkAbort(signal: AbortSignal): {
  signal: AbortSignal
  abort(reason: unknown): void
  close(): void
} {
  const controller = new AbortController()
  const follow = () => controller.abort(signal.reason)
  signal.addEventListener('abort', follow, { once: true })
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    close: () => {
      signal.removeEventListener('abort', follow)
      controller.abort()
    },
  }
}

/** An open stream's response; a failed connect worth retrying; or a throw for one that ends the call. */
async function connect(
  { client, route, options }: StreamRequest,
  parts: RequestParts,
  state: StreamState,
  signal: AbortSignal,
  reconnecting: boolean,
): Promise<Response | SluiceClientError> {
  let response: Response
  try {
    response = await sendRequest(
      client,
      route,
      async () => {
        // Computed on every attempt, so a reconnect carries a fresh token.
        const headers = await toHeaders(client, options.headers, {
          accept: 'text/event-stream',
          'content-type': parts.body === undefined ? undefined : 'application/json',
          'last-event-id': state.lastEventId,
        })
        return [parts.url, { method: route.method, headers, body: parts.body, signal }]
      },
      signal,
    )
  } catch (error) {
    // No answer is a failed connect; anything else (a hook's throw) ends the call.
    if (error instanceof SluiceClientError && error.code === 'NETWORK') return error
    throw error
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

type Outcome = { done: true; value: unknown } | { done: false; error: SluiceClientError }

interface Reading {
  state: StreamState
  /** The call's signal: aborted means cancelled. */
  signal: AbortSignal
  /** This connection's: aborted alone means it fell silent. */
  connection: { signal: AbortSignal; abort(reason: unknown): void }
  /** The kinds a function declares: events come as `{ event, data, id }`; none, plain values. */
  kinds: ReadonlySet<string> | undefined
  onRetry: (ms: number) => void
}

/** One connection's events; `done: false` when it ended, failed or fell silent without `done` or `error`. */
async function* readEvents(
  response: Response,
  timeoutMs: number,
  { state, signal, connection, kinds, onRetry }: Reading,
): AsyncGenerator<unknown, Outcome, undefined> {
  if (response.body === null) return { done: false, error: ended() }
  const silent = new SluiceClientError(
    'NETWORK',
    `No byte for ${timeoutMs} ms: the connection is presumed dead`,
  )
  const watched =
    timeoutMs > 0 ? watchSilence(response.body, timeoutMs, () => connection.abort(silent)) : undefined
  // Each connection's parser starts with an empty last event id: only a change is news.
  let connectionId = ''
  try {
    for await (const event of parseEventStream(watched ?? response.body, {
      onRetry,
      signal: connection.signal,
    })) {
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
    if (signal.aborted) throw toCancelledError(signal.reason)
    if (connection.signal.aborted) return { done: false, error: silent }
    if (error instanceof SluiceClientError) throw error
    // Anything else is the connection failing mid-stream: reconnect and resume.
    return { done: false, error: toNetworkError(error) }
  } finally {
    watched?.stop()
  }
  return { done: false, error: ended() }
}

function ended(): SluiceClientError {
  return new SluiceClientError('NETWORK', 'The stream ended before its done event')
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
