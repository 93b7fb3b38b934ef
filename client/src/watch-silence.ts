/** A body read chunk by chunk, and `stop()` to clear its timer once the connection is done with. */
export interface WatchedBody extends AsyncIterable<Uint8Array> {
  stop(): void
}

/**
 * Reads `body`, calling `onSilent` once a read has waited `timeoutMs` for a byte. The timer
 * only compares clocks, so a late one (a throttled background tab) never condemns a stream that
 * sent bytes meanwhile, and time a slow consumer spends between reads never counts as silence.
 */
export function watchSilence(
  body: ReadableStream<Uint8Array>,
  timeoutMs: number,
  onSilent: () => void,
): WatchedBody {
  const reader = body.getReader()
  let waitingSince: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const check = () => {
    timer = undefined
    if (waitingSince === undefined) return // no read waits: armed again by the next one
    const left = waitingSince + timeoutMs - Date.now()
    if (left > 0) timer = setTimeout(check, left)
    else onSilent()
  }
  const stop = () => {
    clearTimeout(timer)
    timer = waitingSince = undefined
  }
  const next = async (): Promise<IteratorResult<Uint8Array, undefined>> => {
    waitingSince = Date.now()
    // One timer per period at most, not one per chunk: a busy stream only moves `waitingSince`.
    timer ??= setTimeout(check, timeoutMs)
    try {
      const { done, value } = await reader.read()
      waitingSince = undefined
      if (!done) return { done, value }
      stop()
      return { done, value: undefined }
    } catch (error) {
      stop()
      throw error
    }
  }
  const iterator: AsyncIterator<Uint8Array, undefined> = {
    next,
    return: async () => {
      stop()
      await reader.cancel().catch(() => undefined)
      return { done: true, value: undefined }
    },
  }
  return { [Symbol.asyncIterator]: () => iterator, stop }
}
