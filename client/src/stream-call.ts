import { SluiceClientError, toCancelledError } from './client-error'
import type { ConnectionState } from './connection-state'
import type { StreamState } from './stream-events'

/**
 * A running stream: `for await` its typed events, `await result` for its `done` value.
 * Nothing is sent until it is iterated or `result` is read. `break` or `cancel()` aborts
 * the request (the server's generator runs its `finally`) and `result` rejects with `CANCELLED`.
 */
export interface StreamCall<E, O> extends AsyncIterable<E> {
  /**
   * The `done` value. Rejects with a `SluiceClientError` on an `event: error`, an error status,
   * a failed connect past `retry.maxAttempts`, or a cancel. Read alone, it runs the stream.
   */
  readonly result: Promise<O>
  /** The last event id received: what a reconnect sends as `Last-Event-ID`. */
  readonly lastEventId: string | undefined
  /** Where the connection is now: `connecting` (also before the call starts), `open`, `reconnecting`, `closed`. */
  readonly state: ConnectionState
  /** Aborts the request and any reconnect; `result` rejects with `CANCELLED`. */
  cancel(reason?: unknown): void
}

/** Opens the stream's events (reconnecting as needed) on a signal the call owns. */
export type OpenStream = (
  signal: AbortSignal,
  state: StreamState,
) => AsyncGenerator<unknown, unknown, undefined>

/** A `StreamCall` that can also be run to its end with a callback per event. */
export interface RunnableStreamCall<E, O> extends StreamCall<E, O> {
  /** Reads every event, handing each to `onEvent`, and returns `result`. */
  run(onEvent?: (event: E) => unknown): Promise<O>
}

type Outcome<O> = { value: O } | { error: unknown }

/** What a stream call takes from the call options. */
export interface StreamCallSettings {
  signal?: AbortSignal | undefined
  lastEventId?: string | undefined
  onStateChange?: ((state: ConnectionState) => void) | undefined
}

/** Creates a stream call; `signal` (an AbortSignal of the caller's) cancels it. */
export function createStreamCall<E, O>(
  open: OpenStream,
  options: StreamCallSettings,
): RunnableStreamCall<E, O> {
  return new Call<E, O>(open, options)
}

class Call<E, O> implements RunnableStreamCall<E, O> {
  readonly #open: OpenStream
  readonly #controller = new AbortController()
  readonly #state: StreamState
  readonly #result: Promise<O>
  #settle: (outcome: Outcome<O>) => void = () => undefined
  #error: unknown
  #started = false
  #settled = false
  #unlink: () => void = () => undefined
  #connection: ConnectionState = { status: 'connecting', attempt: 1 }
  readonly #onStateChange: ((state: ConnectionState) => void) | undefined

  constructor(open: OpenStream, options: StreamCallSettings) {
    this.#open = open
    this.#onStateChange = options.onStateChange
    this.#state = {
      lastEventId: options.lastEventId === '' ? undefined : options.lastEventId,
      report: (state) => this.#report(state),
    }
    this.#result = new Promise<O>((resolve, reject) => {
      this.#settle = (outcome) => {
        if (this.#settled) return
        this.#settled = true
        this.#unlink()
        this.#report(toClosed(outcome))
        if ('error' in outcome) {
          this.#error = outcome.error
          // A SluiceClientError, or whatever `onEvent` threw: passed on as it is.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(outcome.error)
        } else resolve(outcome.value)
      }
    })
    // A caller that only iterates never reads `result`: its rejection must not count as unhandled.
    this.#result.catch(() => undefined)
    const { signal } = options
    if (signal?.aborted === true) this.cancel(signal.reason)
    else if (signal !== undefined) {
      const onAbort = () => this.cancel(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      this.#unlink = () => signal.removeEventListener('abort', onAbort)
    }
  }

  get result(): Promise<O> {
    // Read without iterating in the same tick (`await call.result`): run the stream for its `done` value.
    queueMicrotask(() => {
      if (!this.#started) this.run().catch(() => undefined)
    })
    return this.#result
  }

  get lastEventId(): string | undefined {
    return this.#state.lastEventId
  }

  get state(): ConnectionState {
    return this.#connection
  }

  cancel(reason?: unknown): void {
    this.#settle({ error: toCancelledError(reason) })
    this.#controller.abort(reason)
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    if (this.#started) throw new TypeError('sluice: a stream call can be iterated only once')
    this.#started = true
    return this.#iterate()
  }

  async run(onEvent?: (event: E) => unknown): Promise<O> {
    const iterator = this[Symbol.asyncIterator]()
    try {
      for (let step = await iterator.next(); step.done !== true; step = await iterator.next()) {
        await onEvent?.(step.value)
      }
    } catch (error) {
      // A stream error settled `result` already; this one is `onEvent`'s, which ends the stream.
      this.#settle({ error })
      await iterator.return?.()
    }
    return this.#result
  }

  // Nothing after `closed`. A listener that throws fails the call like a throwing `onEvent`;
  // once the call has settled there is no one left to tell, so the throw is reported as uncaught.
  #report(state: ConnectionState): void {
    if (this.#connection.status === 'closed') return
    this.#connection = state
    try {
      this.#onStateChange?.(state)
    } catch (error) {
      if (this.#settled) {
        setTimeout(() => {
          throw error
        })
      } else {
        this.#settle({ error })
        this.#controller.abort(error)
      }
    }
  }

  async *#iterate(): AsyncGenerator<E, void, undefined> {
    try {
      const value = yield* this.#open(this.#controller.signal, this.#state) as AsyncGenerator<E, O, undefined>
      this.#settle({ value })
    } catch (error) {
      this.#settle({ error })
      // The error `result` holds: a cancel that raced the stream's own failure wins both ways.
      throw this.#error
    } finally {
      // Left by `break` (or ended): abort what is still open; a consumer that left cancelled the call.
      this.#settle({ error: toCancelledError(undefined) })
      this.#controller.abort()
    }
  }
}

function toClosed(outcome: Outcome<unknown>): ConnectionState {
  if (!('error' in outcome)) return { status: 'closed', reason: 'done' }
  const { error } = outcome
  const cancelled = error instanceof SluiceClientError && error.code === 'CANCELLED'
  return { status: 'closed', reason: cancelled ? 'cancelled' : 'error', error }
}
