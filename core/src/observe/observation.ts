import type { CoreResponse } from '../adapter/types'
import { toWireError, type WireError } from '../errors/wire-error'
import { utf8Length } from '../http/respond'
import type { EventFields } from '../stream/with-event'
import type { StreamObserver } from '../stream/stream-observer'
import { toEndReason, type EndReason } from './end-reasons'
import type { ObservedEnd, ObservedEvent, Probe } from './observer'

type Listener<T> = (value: T) => void

const NON_ASCII = /[^\x00-\x7f]/

// Most frames are ASCII: one regex test, not a loop over every character.
function byteLength(frame: string): number {
  return NON_ASCII.test(frame) ? utf8Length(frame) : frame.length
}

/**
 * One request's observers (the app's probes, its middleware's `onEvent` / `onEnd`) and the
 * figures they share. Made only when the app has observers or the route has middleware.
 */
export class Observation implements StreamObserver {
  readonly startedAt = performance.now()
  /** Headers a middleware set; the answer's own headers win over them. */
  headers: Record<string, string | string[]> | undefined
  private events = 0
  private bytes = 0
  private firstEventMs: number | undefined
  private response: CoreResponse | undefined
  private answerError: WireError | undefined
  private streamEnd: { reason: EndReason; error: WireError | undefined; at: number } | undefined
  private done = false
  private eventListeners: Listener<ObservedEvent>[] | undefined
  private endListeners: Listener<ObservedEnd>[] | undefined
  private readonly runners: Required<Probe>['run'][]

  constructor(
    private readonly probes: readonly Probe[],
    private readonly onError: (error: unknown) => void,
  ) {
    this.runners = []
    for (const probe of probes) if (probe.run !== undefined) this.runners.push(probe.run.bind(probe))
  }

  /** True when some probe runs the function inside a context of its own. */
  get wraps(): boolean {
    return this.runners.length > 0
  }

  /** Runs `fn` inside every probe's context (a trace span's). */
  run<T>(fn: () => T): T {
    let wrapped = fn
    for (const run of this.runners) {
      const inner = wrapped
      wrapped = () => run(inner)
    }
    return wrapped()
  }

  onEvent(listener: Listener<ObservedEvent>): void {
    ;(this.eventListeners ??= []).push(listener)
  }

  onEnd(listener: Listener<ObservedEnd>): void {
    ;(this.endListeners ??= []).push(listener)
  }

  event(data: unknown, fields: EventFields | undefined, frame: string): void {
    const bytes = byteLength(frame)
    const index = this.events++
    this.bytes += bytes
    this.firstEventMs ??= performance.now() - this.startedAt
    for (const probe of this.probes) this.guard(() => probe.event?.(bytes, index))
    const listeners = this.eventListeners
    if (listeners === undefined) return
    const observed: ObservedEvent = { data, id: fields?.id, event: fields?.event, bytes }
    for (const listener of listeners) this.guard(() => listener(observed))
  }

  end(reason: unknown, frame: string | undefined, failed: WireError | undefined): void {
    if (frame !== undefined) this.bytes += byteLength(frame)
    const end = failed === undefined ? toEndReason(reason) : 'error'
    this.streamEnd = { reason: end, error: failed, at: performance.now() }
    if (this.response !== undefined) this.finish()
  }

  /**
   * The handler's answer: the middleware's headers join it, and a JSON answer (or an error)
   * ends here; a stream ends when its `EventStream` calls `end`.
   */
  answer(response: CoreResponse, error: unknown, stream: boolean): void {
    const { headers } = this
    if (headers !== undefined)
      for (const [name, value] of Object.entries(headers)) response.headers[name] ??= value
    this.response = response
    this.answerError = error === undefined ? undefined : toWireError(error)
    if (stream) for (const probe of this.probes) this.guard(() => probe.stream?.())
    if (!stream || this.streamEnd !== undefined) this.finish()
  }

  private finish(): void {
    const response = this.response
    if (this.done || response === undefined) return
    this.done = true
    const streamEnd = this.streamEnd
    const error = streamEnd?.error ?? this.answerError
    const end: ObservedEnd = {
      status: response.status,
      stream: streamEnd !== undefined,
      reason: streamEnd?.reason ?? (error === undefined ? 'done' : 'error'),
      durationMs: (streamEnd?.at ?? performance.now()) - this.startedAt,
      events: this.events,
      bytes: this.bytes,
      firstEventMs: this.firstEventMs,
      error,
      headers: response.headers,
    }
    for (const listener of this.endListeners ?? []) this.guard(() => listener(end))
    for (const probe of this.probes) this.guard(() => probe.end(end))
  }

  // An observer's bug must not end the stream or the request: it goes to `onError`.
  private guard(fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.onError(error)
    }
  }
}
