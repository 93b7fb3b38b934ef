import {
  context,
  createNoopMeter,
  isSpanContextValid,
  metrics,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
  type UpDownCounter,
} from '@opentelemetry/api'
import type { ObservedEnd, ObservedRequest, Probe, RequestObserver } from '../observe/observer'
import { extractTraceParent } from './trace-parent'

/** Options of `openTelemetry()`; by default the globally registered providers (no-op without an SDK). */
export interface OpenTelemetryOptions {
  tracerProvider?: TracerProvider
  meterProvider?: MeterProvider
}

/** The metric names sluice records (documented in docs/middleware.md). */
export const metricNames = {
  /** UpDownCounter: streams open now, by `http.request.method` and `http.route`. */
  openStreams: 'sluice.streams.open',
  /** Counter: events sent on streams (without `done` / `error`), by method and route. */
  eventsSent: 'sluice.stream.events',
} as const

interface Instruments {
  tracer: Tracer
  openStreams: UpDownCounter
  eventsSent: Counter
}

/**
 * A request observer for `createApp({ observers: [openTelemetry()] })`: a server span per
 * request (stable HTTP semconv) that, for a stream, ends when the stream ends; the function
 * runs inside it. Under an existing server span (instrumentation-http) it nests instead.
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): RequestObserver {
  const meter = (options.meterProvider ?? metrics).getMeter('@sluice/core')
  const tracers = options.tracerProvider ?? trace.getTracerProvider()
  // The metrics API has no proxy: a meter that is a no-op now stays one.
  const counts = !(meter instanceof NoopMeter)
  const instruments: Instruments = {
    tracer: tracers.getTracer('@sluice/core'),
    openStreams: meter.createUpDownCounter(metricNames.openStreams, {
      unit: '{stream}',
      description: 'Event streams open now',
    }),
    eventsSent: meter.createCounter(metricNames.eventsSent, {
      unit: '{event}',
      description: 'Events sent on event streams',
    }),
  }
  return {
    // Nothing to record (no SDK registered yet, no metrics): no probe, so the request costs
    // nothing. Checked per request, since an SDK may be registered after the app is made.
    start: (observed) => (counts || !tracesNothing(tracers) ? startProbe(instruments, observed) : undefined),
  }
}

const NoopMeter = createNoopMeter().constructor
// What the global provider delegates to until an SDK registers one. The proxy is deprecated for
// API 2.x, outside this package's peer range (^1.9); it is still what `trace` hands out in 1.x.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate()

// The global provider with no SDK behind it: every span it starts is a blank no-op.
function tracesNothing(provider: TracerProvider): boolean {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_TRACER_PROVIDER
}

function startProbe(instruments: Instruments, { request, route, path }: ObservedRequest): Probe {
  const { method } = request
  const name = `${method} ${route.path}`
  const active = context.active()
  const outer = trace.getSpan(active)
  // instrumentation-http made the server span already: name it by the route and nest under it.
  if (outer !== undefined) {
    outer.setAttribute('http.route', route.path)
    outer.updateName(name)
  }
  const parent = outer === undefined ? extractTraceParent(request.headers) : active
  const attributes: Attributes = { 'http.request.method': method, 'http.route': route.path, 'url.path': path }
  const lastEventId = request.headers['last-event-id']
  if (lastEventId !== undefined) attributes['sluice.stream.last_event_id'] = lastEventId
  const kind = outer === undefined ? SpanKind.SERVER : SpanKind.INTERNAL
  const span = instruments.tracer.startSpan(name, { kind, attributes }, parent)
  const inSpan = trace.setSpan(parent, span)
  const labels: Attributes = { 'http.request.method': method, 'http.route': route.path }
  let streaming = false
  const probe: Probe = {
    stream() {
      streaming = true
      instruments.openStreams.add(1, labels)
    },
    event(_bytes, index) {
      if (index === 0) span.addEvent('sluice.first_event')
      instruments.eventsSent.add(1, labels)
    },
    end(end) {
      if (streaming) instruments.openStreams.add(-1, labels)
      endSpan(span, end)
    },
  }
  // Without an SDK (or a parent) the span is a blank no-op: no context to run the function in.
  if (span.isRecording() || isSpanContextValid(span.spanContext()))
    probe.run = (fn) => context.with(inSpan, fn)
  return probe
}

function endSpan(span: Span, end: ObservedEnd): void {
  span.setAttribute('http.response.status_code', end.status)
  if (end.stream) {
    span.setAttributes({
      'sluice.stream.events': end.events,
      'sluice.stream.bytes': end.bytes,
      'sluice.stream.end_reason': end.reason,
    })
    if (end.firstEventMs !== undefined)
      span.setAttribute('sluice.stream.time_to_first_event_ms', end.firstEventMs)
  }
  // Server spans: a 4xx is the client's error, not the server's (HTTP semconv); an `error`
  // event ends a 200 stream with the server's failure.
  const failed = end.status >= 500 || (end.stream && end.reason === 'error')
  if (failed) {
    const code = end.error?.code ?? String(end.status)
    span.setAttribute('error.type', code)
    span.setStatus({ code: SpanStatusCode.ERROR, message: code })
  }
  span.end()
}
