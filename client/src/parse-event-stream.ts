// Event stream interpretation, as the WHATWG HTML standard defines it:
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

/** One dispatched server-sent event: its type (`message` by default), data and the last event ID. */
export interface SseEvent {
  event: string
  data: string
  lastEventId: string
}

/** Options of `parseEventStream`. */
export interface ParseOptions {
  /** Called with every valid `retry` value (ASCII digits only), in milliseconds. */
  onRetry?: (ms: number) => void
  /**
   * Upper bound on one event: its data so far plus the line being read, counted in decoded UTF-16
   * code units (bytes, for ASCII). Past it the parser stops reading and throws `EventTooLargeError`.
   */
  maxEventBytes?: number
  /** Stops reading, releases the source and throws `signal.reason` when aborted. */
  signal?: AbortSignal
}

/** Thrown when one event grows past `maxEventBytes`; reading stops so memory stays bounded. */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError'

  constructor(readonly limit: number) {
    super(`Server-sent event larger than maxEventBytes (${limit})`)
  }
}

const LF = 10
const SPACE = 32

/**
 * Parses a `text/event-stream` body into events, chunk by chunk, as the WHATWG rules say.
 * Breaking out of `for await` (or an error) cancels the stream / returns the iterator.
 */
export async function* parseEventStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const { maxEventBytes = Infinity, signal } = options
  // The default TextDecoder is the spec's "UTF-8 decode": it strips one leading BOM (even split across
  // chunks) and turns invalid bytes into U+FFFD; `stream: true` keeps a split character for the next chunk.
  const decoder = new TextDecoder()
  const interpreter = createInterpreter(options.onRetry)
  let pending = '' // text after the last line ending
  let afterCR = false // the last chunk ended with CR: an LF at the start of the next one completes a CRLF
  const checkSize = (size: number) => {
    if (size > maxEventBytes) throw new EventTooLargeError(maxEventBytes)
  }
  for await (const chunk of readChunks(source, signal)) {
    const text = decoder.decode(chunk, { stream: true })
    if (text === '') continue
    let start = afterCR && text.charCodeAt(0) === LF ? 1 : 0
    afterCR = false
    // Positions of the next CR and LF, searched again only once passed, so each chunk is scanned once.
    let cr = text.indexOf('\r', start)
    let lf = text.indexOf('\n', start)
    while (cr !== -1 || lf !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr
      const line = pending + text.slice(start, end)
      pending = ''
      start = end + 1
      if (end === cr) {
        if (start === text.length) afterCR = true
        else if (text.charCodeAt(start) === LF) start++
        cr = text.indexOf('\r', start)
      }
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start)
      checkSize(interpreter.size() + line.length)
      const event = interpreter.line(line)
      if (event) {
        signal?.throwIfAborted()
        yield event
      }
    }
    pending += text.slice(start)
    // Checked per chunk, so a line without an end can grow by at most one chunk past the limit.
    checkSize(interpreter.size() + pending.length)
  }
  // At the end of the stream an event without its final blank line is discarded (spec).
}

/** Applies lines to the spec's data, event type and last event ID buffers. */
function createInterpreter(onRetry: ((ms: number) => void) | undefined) {
  let data = ''
  let type = ''
  let lastEventId = '' // persists across events, unlike data and type
  // No data, no event; either way the data and type buffers start over. One trailing LF is removed.
  const dispatch = (): SseEvent | undefined => {
    const event =
      data === ''
        ? undefined
        : { event: type === '' ? 'message' : type, data: data.slice(0, -1), lastEventId }
    data = ''
    type = ''
    return event
  }
  return {
    size: () => data.length,
    /** Processes one line; returns the event that a blank line dispatches. */
    line(line: string): SseEvent | undefined {
      if (line === '') return dispatch()
      const colon = line.indexOf(':')
      if (colon === 0) return undefined // a comment
      const field = colon === -1 ? line : line.slice(0, colon)
      const valueStart = colon === -1 ? line.length : colon + (line.charCodeAt(colon + 1) === SPACE ? 2 : 1)
      const value = line.slice(valueStart)
      if (field === 'data') data += value + '\n'
      else if (field === 'event') type = value
      else if (field === 'id') lastEventId = value.includes('\0') ? lastEventId : value
      else if (field === 'retry' && /^[0-9]+$/.test(value)) onRetry?.(Number(value))
      return undefined // unknown fields are ignored
    },
  }
}

interface ChunkReader {
  next(): Promise<IteratorResult<Uint8Array, unknown>>
  close(reason: unknown): Promise<unknown>
}

/** A ReadableStream through its reader (Safari's streams are not async iterable), else the iterator. */
function toChunkReader(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ChunkReader {
  if ('getReader' in source) {
    const reader = source.getReader()
    return {
      next: () => reader.read(),
      close: async (reason) => {
        try {
          await reader.cancel(reason)
        } finally {
          reader.releaseLock()
        }
      },
    }
  }
  const iterator = source[Symbol.asyncIterator]()
  return { next: () => iterator.next(), close: async () => iterator.return?.() }
}

/** Yields the source's chunks; always releases the source, whether it ends, fails, aborts or is left. */
async function* readChunks(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = toChunkReader(source)
  try {
    for (;;) {
      signal?.throwIfAborted()
      const next = reader.next()
      const result = await (signal ? raceAbort(next, signal) : next)
      if (result.done === true) return
      yield result.value
    }
  } finally {
    const closed = reader.close(signal?.reason).catch(() => undefined)
    // After an abort a read may still be pending, and an async generator runs return() only after it
    // settles: waiting could hang forever on a silent source.
    if (signal?.aborted !== true) await closed
  }
}

/** Settles with `promise`, or rejects with the reason as soon as the (not yet aborted) signal aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
