import { toErrorBody, toWireError, WireError } from '../errors/wire-error'
import type { Validation, Validator } from '../schema/validate'
import type { EventStreamOptions, Step } from './event-stream-options'
import { invalidOutput, resumableFields, sizedFrame, undeclaredKind } from './frame-checks'
import { encodeComment, encodeEvent, encodeJson } from './encode'
import { endReason } from './end-reason'
import { EventEnvelope, type EventFields } from './with-event'
import type { OpenStream } from './open-stream'
import { offTick, onTick, tickPeriod, type Tickable } from './ticker'
import { afterTurn } from './turns'
import { isTakeSource, takeNext, type TakeSource } from './take-source'
import type { ChunkSink, CoreStream } from '../adapter/types'

const END: IteratorResult<string, undefined> = { done: true, value: undefined }
const DONE: EventFields = { event: 'done' }
// Events that arrive in one turn of the event loop go out as one write, up to this many
// characters: a generator that yields in a tight loop costs one write per batch, not per event.
const BATCH_CHARS = 64 * 1024

/**
 * Turns an async iterator of values into encoded SSE chunks: the opening line first, then
 * one chunk per value, `event: done` with the return value, or `event: error`. It pulls the
 * source only while the adapter asks for chunks (it awaits `next()`, or its sink took the last
 * one), so an adapter that stops asking (a full socket) stops the function too. Heartbeats
 * fill idle time; `maxDurationMs` and the client leaving end the stream without `done` and
 * return the source, which runs the generator's `finally`.
 */
export class EventStream implements AsyncIterableIterator<string>, CoreStream, OpenStream, Tickable {
  private opened = false
  private finished = false
  // The first step, settled before the stream opened (`begin`), and who waits for it to settle.
  private early: Step | undefined
  private opening: ((failed: Extract<Step, { ok: false }> | undefined) => void) | undefined
  private openTimer: ReturnType<typeof setTimeout> | undefined
  private stepping = false
  // Set for a source that pushes (a channel, a hub subscription): read without promises.
  private readonly taker: TakeSource | undefined
  private taking = false
  private again = false
  private batch = ''
  private flushScheduled = false
  private waiter: ((result: IteratorResult<string>) => void) | undefined
  // Pushed to (`pushTo`) instead of read: `full` while the sink waits to `resume()`.
  private sink: ChunkSink | undefined
  private full = false
  private handedAt = 0
  // The shared ticker's period this stream is ticked at, while it is.
  private tickMs: number | undefined
  private deadline: ReturnType<typeof setTimeout> | undefined
  // Settles once the source has finished (its `finally` ran), however the stream ended.
  private returned: Promise<void> = Promise.resolve()
  private readonly onAbort = (reason: unknown): void => this.stop(reason)

  constructor(
    private readonly source: AsyncIterator<unknown, unknown>,
    private readonly options: EventStreamOptions,
  ) {
    this.taker = isTakeSource(source) ? source : undefined
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  /**
   * Takes the source's first step before the stream opens, so a function that throws before its
   * first yield is answered with its status, not a 200 stream. Resolves once that step settled,
   * with what it threw if it threw, or after `waitMs` (a slow first step then comes as an event).
   * No timer for a step that settles within the turn (a generator that yields at once).
   */
  begin(waitMs: number): Promise<Extract<Step, { ok: false }> | undefined> {
    this.stepping = true
    let step: Promise<IteratorResult<unknown, unknown>>
    try {
      step = this.source.next()
    } catch (error) {
      this.stepping = false
      return Promise.resolve({ ok: false, error })
    }
    step.then(this.onResult, this.onFailure)
    return new Promise((resolve) => {
      this.opening = resolve
      afterTurn(armOpenWait, this, waitMs)
    })
  }

  /** Called a turn after `begin`: a first step still under way gets `waitMs` more. */
  armOpenWait(waitMs: number): void {
    if (this.opening !== undefined) this.openTimer = setTimeout(openWaitOver, waitMs, this)
  }

  /** Stops waiting for the first step: it settled, or `waitMs` passed. */
  settleOpening(failed?: Extract<Step, { ok: false }>): void {
    const opening = this.opening
    clearTimeout(this.openTimer)
    this.opening = this.openTimer = undefined
    opening?.(failed)
  }

  /** Pushes the opening chunk into `sink` now, then each batch while it takes more. */
  pushTo(sink: ChunkSink): void {
    if (this.opened) throw new Error('sluice: a stream is read once, by next() or by pushTo()')
    // Anything queued before the open (a shutdown's last words) follows the opening line. A
    // stream that ended while opening (its client already gone) still writes that line first.
    this.batch = this.open() + this.batch
    this.sink = sink
    this.push(sink)
  }

  /** The sink can take more: what waits goes out, then the source is read on. */
  resume(): void {
    const sink = this.sink
    if (sink === undefined || !this.full) return
    this.full = false
    if (this.batch !== '' || this.finished) this.push(sink)
    else this.pull()
  }

  // Whether the adapter is waiting for a chunk: awaiting `next()`, or a sink that is not full.
  private asking(): boolean {
    return this.sink === undefined ? this.waiter !== undefined : !this.full
  }

  // Writes the batch into the sink; ends it once the stream has ended and nothing is left.
  private push(sink: ChunkSink): void {
    if (this.batch !== '') {
      if (!sink.write(this.take())) this.full = true
      // The write told the adapter its client left, and it called `return()`.
      if (this.sink !== sink) return
    }
    if (this.finished) {
      if (this.full && this.batch !== '') return
      this.sink = undefined
      this.unwatch()
      return sink.end()
    }
    if (!this.full) this.pull()
  }

  next(): Promise<IteratorResult<string>> {
    if (!this.opened) return Promise.resolve({ done: false, value: this.open() })
    if (this.batch !== '') return Promise.resolve({ done: false, value: this.take() })
    if (this.finished) {
      this.unwatch()
      return Promise.resolve(END)
    }
    return new Promise((resolve) => {
      this.waiter = resolve
      this.pull()
    })
  }

  /** Called by the adapter when it stops reading (the client left): ends and cleans up. */
  return(): Promise<IteratorResult<string>> {
    // Nothing more is written into a response whose client is gone.
    this.sink = undefined
    this.stop(endReason('CLIENT_CLOSED', 'The client closed the stream'))
    this.unwatch()
    return Promise.resolve(END)
  }

  // The headers go out with this chunk, so proxies and clients see the stream open at once.
  private open(): string {
    this.opened = true
    const { heartbeatMs, maxDurationMs } = this.options
    this.options.lifecycle?.streams.add(this)
    this.options.aborts.watch(this.onAbort)
    const slow = this.options.slowConsumerMs ?? 0
    // A stream that ended just now (its client already gone) must not stay in the ticker.
    if (!this.finished && (heartbeatMs > 0 || slow > 0)) {
      this.tickMs = tickPeriod(heartbeatMs > 0 ? heartbeatMs : slow)
      onTick(this.tickMs, this)
    }
    if (!this.finished && maxDurationMs !== undefined) {
      const reason = endReason('MAX_DURATION', 'The stream reached maxDurationMs')
      this.deadline = setTimeout(() => this.stop(reason), maxDurationMs)
      unref(this.deadline)
    }
    this.handedAt = Date.now()
    return `: sluice stream open\nretry: ${this.options.retryMs}\n\n${this.options.initial ?? ''}`
  }

  private take(): string {
    const chunk = this.batch
    this.batch = ''
    this.handedAt = Date.now()
    return chunk
  }

  /**
   * Called by the shared ticker. While the adapter waits for a chunk, an idle stream gets a
   * `: ping` once `heartbeatMs` passed since the last write. While it does not ask (its socket
   * is full) for `slowConsumerMs`, the client is not reading: the stream ends, its function is
   * returned, its connection is dropped, and the client may reconnect and resume. A stream
   * that ended otherwise stays watched until the adapter has taken its end.
   */
  tick(now: number): void {
    const { heartbeatMs, slowConsumerMs = 0 } = this.options
    if (!this.asking()) {
      if (slowConsumerMs > 0 && now - this.handedAt >= slowConsumerMs) {
        this.stop(new WireError('SLOW_CONSUMER', 'The client did not read the stream for slowConsumerMs'))
        this.unwatch()
        // Its socket stays full: ending the response cleanly would wait behind what it holds,
        // and the connection (with megabytes in the kernel) would live on until the client reads.
        this.options.connection?.drop?.()
      }
      return
    }
    if (heartbeatMs > 0 && this.batch === '' && now - this.handedAt >= heartbeatMs) {
      this.batch = encodeComment('ping')
      this.flush()
    }
  }

  // Every step goes straight from the source to the two handlers below: no wrapper promise,
  // `Step` or closure per event. A step already under way (pulled ahead, then asked for again)
  // is not pulled twice; one that settled before the stream opened (`begin`) is taken first.
  private pull(): void {
    if (this.stepping) return
    const early = this.early
    if (early !== undefined) {
      this.early = undefined
      return early.ok ? this.onStep(early.result) : this.fail(early.error)
    }
    if (this.taker !== undefined) return this.takeReady(this.taker)
    this.stepping = true
    let step: Promise<IteratorResult<unknown, unknown>>
    try {
      step = this.source.next()
    } catch (error) {
      return this.onFailure(error) // a hand-written iterator's next() may throw
    }
    step.then(this.onResult, this.onFailure)
  }

  // A take-source's ready values are read in a loop, not by recursion (deliver pulls again, and
  // a queue of thousands would nest as deep); then it calls `onResult` when the next one comes.
  private takeReady(source: TakeSource): void {
    if (this.taking) {
      this.again = true
      return
    }
    this.taking = true
    do {
      this.again = false
      let result: IteratorResult<unknown, unknown> | undefined
      try {
        result = source[takeNext](this.onResult, this.onFailure)
      } catch (error) {
        this.fail(error)
        break
      }
      if (result === undefined) this.stepping = true
      else this.onStep(result)
    } while (this.pulledAgain())
    this.taking = false
  }

  // Whether `onStep` asked for another value (`pull` while taking), read after it returned.
  private pulledAgain(): boolean {
    return this.again && !this.finished
  }

  private readonly onResult = (result: IteratorResult<unknown, unknown>): void => {
    this.stepping = false
    if (!this.opened) return this.hold({ ok: true, result })
    if (!this.finished) this.onStep(result)
  }

  private readonly onFailure = (error: unknown): void => {
    this.stepping = false
    if (!this.opened) return this.hold({ ok: false, error })
    if (!this.finished) this.fail(error)
  }

  // A first step that settled before the stream opened waits for it; the handler is told.
  private hold(step: Step): void {
    this.early = step
    this.settleOpening(step.ok ? undefined : step)
  }

  private onStep(result: IteratorResult<unknown, unknown>): void {
    if (result.done === true) return this.check(this.options.validateOutput, result.value, undefined, true)
    const item = result.value
    const envelope = item instanceof EventEnvelope ? item : undefined
    const data: unknown = envelope === undefined ? item : envelope.data
    const kinds = this.options.validateKinds
    if (kinds === undefined) return this.check(this.options.validateEvent, data, envelope?.fields, false)
    // A value without a name is the SSE default type, `message`.
    const kind = envelope?.fields.event ?? 'message'
    const validator = kinds.get(kind)
    if (validator === undefined) return this.fail(undeclaredKind(kind))
    this.check(validator, data, envelope?.fields, false)
  }

  // Runs a validator (sync or async) before `write`; invalid values end the stream with an
  // error, since the server broke its own contract. Methods, not closures: nothing per event.
  private check(
    validator: Validator | undefined,
    value: unknown,
    fields: EventFields | undefined,
    last: boolean,
  ): void {
    if (validator === undefined) return this.write(value, fields, last)
    const validation = validator(value)
    if (validation instanceof Promise) {
      void validation.then(
        (settled) => this.checked(settled, fields, last),
        (error: unknown) => this.fail(error),
      )
    } else this.checked(validation, fields, last)
  }

  private checked(validation: Validation, fields: EventFields | undefined, last: boolean): void {
    if (this.finished) return
    if (!validation.ok) return this.fail(invalidOutput(validation))
    this.write(validation.value, fields, last)
  }

  // Encodes one value (the `done` one when `last`) and adds it to the batch.
  private write(value: unknown, fields: EventFields | undefined, last: boolean): void {
    if (this.finished) return
    try {
      if (last)
        return this.deliver(
          sizedFrame(encodeEvent(encodeJson(value), DONE), this.options.maxEventBytes),
          true,
        )
      const frame = sizedFrame(
        encodeEvent(encodeJson(value), resumableFields(fields, this.options.maxIdChars)),
        this.options.maxEventBytes,
      )
      this.options.observer?.event(value, fields, frame)
      this.deliver(frame, false)
    } catch (error) {
      this.fail(error) // JSON.stringify throws on BigInt and cycles
    }
  }

  private fail(error: unknown): void {
    const wire = toWireError(error)
    // A source that could not keep up (a hub subscription past its queue) ends like max
    // duration: no `done`, no `error`, so the client reconnects and resumes from history.
    if (wire.code === 'SLOW_CONSUMER') return this.stop(error)
    if (wire !== error || wire.code === 'INVALID_OUTPUT' || wire.code === 'EVENT_TOO_LARGE')
      this.options.onError(error, this.options.request)
    this.deliver(encodeEvent(encodeJson(toErrorBody(wire)), { event: 'error' }), true, wire)
    // The source threw or broke its contract: return it so a generator's `finally` runs.
    void this.source.return?.(undefined).catch(() => undefined)
  }

  // Adds an event to the batch. While the adapter waits and the batch is small, the next value
  // is pulled at once and the batch written after this turn; otherwise it is written now. So
  // read-ahead is bounded by one batch, and only ever while the adapter is asking.
  private deliver(chunk: string, last: boolean, failed?: WireError): void {
    if (last) this.finish(endReason('STREAM_ENDED', 'The stream ended'), chunk, failed)
    this.batch += chunk
    if (last || !this.asking() || this.batch.length >= BATCH_CHARS) return this.flush()
    if (!this.flushScheduled) {
      this.flushScheduled = true
      afterTurn(() => {
        this.flushScheduled = false
        this.flush()
      })
    }
    this.pull()
  }

  // Hands the batch to a waiting adapter; without one it stays for the next `next()`.
  private flush(): void {
    const sink = this.sink
    if (sink !== undefined) {
      if (!this.full) this.push(sink)
      return
    }
    const waiter = this.waiter
    if (waiter === undefined || this.batch === '') return
    this.waiter = undefined
    waiter({ done: false, value: this.take() })
  }

  /** Ends the stream for a server shutdown: a final `retry:`, no `done`, the source returned. */
  shutdown(retryMs: number): Promise<void> {
    if (!this.finished) {
      this.batch += `: server shutting down\nretry: ${retryMs}\n\n`
      this.stop(new WireError('SHUTDOWN', 'The server is shutting down'))
    }
    return this.returned
  }

  private stop(reason: unknown): void {
    if (this.finished) return
    this.finish(reason)
    this.returned = (this.source.return?.(undefined) ?? Promise.resolve()).then(
      () => undefined,
      (error: unknown) => {
        if (error !== reason) this.options.onError(error, this.options.request)
      },
    )
    // What the batch holds was produced: it goes out before the end (max duration).
    if (this.batch !== '' || this.sink !== undefined) return this.flush()
    const waiter = this.waiter
    if (waiter === undefined) return
    this.waiter = undefined
    waiter(END)
    this.unwatch()
  }

  private unwatch(): void {
    if (this.tickMs !== undefined) offTick(this.tickMs, this)
    this.tickMs = undefined
  }

  private finish(reason: unknown, frame?: string, failed?: WireError): void {
    this.finished = true
    this.early = undefined
    // Without a slow-consumer rule nothing is left to watch. With one, a stream that ended while
    // the adapter was not asking (its socket full: a channel past its queue, max duration) is
    // watched until the adapter takes the end, so a client that never reads is still dropped.
    if (!((this.options.slowConsumerMs ?? 0) > 0)) this.unwatch()
    clearTimeout(this.deadline)
    this.options.aborts.unwatch()
    this.options.lifecycle?.streams.delete(this)
    this.options.onFinish?.()
    this.options.abort(reason)
    this.options.observer?.end(reason, frame, failed)
  }
}

// Module-level, with the stream as their argument: no closure per stream for either timer.
function armOpenWait(stream: EventStream, waitMs: number): void {
  stream.armOpenWait(waitMs)
}

function openWaitOver(stream: EventStream): void {
  stream.settleOpening()
}

// Node's timers keep the process alive unless unref'd; a heartbeat alone should not.
function unref(timer: unknown): void {
  ;(timer as { unref?: () => void }).unref?.()
}
