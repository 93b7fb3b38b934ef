/** What the page learns about each connection a stream call opens. */
export interface Connect {
  url: string
  /** The `Last-Event-ID` the client sent: `null` on a first connect, the last step seen on a reconnect. */
  lastEventId: string | null
}

/** A `fetch` for the generated client that reports every connect and can drop the open one. */
export interface TrackedFetch {
  fetch: typeof fetch
  /**
   * Aborts the request in flight as a network failure would. The call's own signal is untouched,
   * so the client sees a dropped connection (not a cancel) and reconnects with `Last-Event-ID`.
   */
  drop(): void
}

/** Wraps the platform's fetch: the client's reconnects become visible, and a button can cause one. */
export function createTrackedFetch(onConnect: (connect: Connect) => void): TrackedFetch {
  let current: AbortController | undefined
  const tracked: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    onConnect({ url, lastEventId: new Headers(init?.headers).get('last-event-id') })
    const controller = new AbortController()
    current = controller
    // Follow the call's signal too, so a cancel (or `break`) still aborts the request.
    const callSignal = init?.signal
    if (callSignal?.aborted === true) controller.abort(callSignal.reason)
    callSignal?.addEventListener('abort', () => controller.abort(callSignal.reason), { once: true })
    return fetch(input, { ...init, signal: controller.signal })
  }
  return {
    fetch: tracked,
    drop: () => current?.abort(new DOMException('Dropped on purpose by the demo page', 'AbortError')),
  }
}
