import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import { createHandler } from '../http/handle-request'
import { coreRequest, readStream } from '../middleware/core-request.test-util'
import { withEvent } from '../stream/with-event'
import { metricNames, openTelemetry } from './index'

const contextManager = new AsyncLocalStorageContextManager().enable()
context.setGlobalContextManager(contextManager)
afterAll(() => {
  context.disable()
})

const spans = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
})
const meterProvider = new MeterProvider({ readers: [reader] })
const work = tracerProvider.getTracer('app')

function tracedApp() {
  const app = createApp({
    sse: { heartbeatMs: 0 },
    onError: () => undefined,
    observers: [openTelemetry({ tracerProvider, meterProvider })],
  })
  const count = defineFunction({
    input: z.object({ to: z.coerce.number(), fail: z.string().optional() }),
    event: z.object({ i: z.number() }),
    async *func({ input, lastEventId }) {
      for (let i = Number(lastEventId ?? 0) + 1; i <= input.to; i++) {
        // A span the function starts in each step is a child of the request's span.
        work.startSpan(`step ${i}`).end()
        yield withEvent({ id: String(i) }, { i })
      }
      if (input.fail !== undefined) throw new WireError('FAILED', 'gave up')
      return { total: input.to }
    },
  })
  wireHTTP(app, { method: 'get', route: '/count/:to', func: count })
  wireHTTP(app, {
    method: 'get',
    route: '/crash',
    func: defineFunction({
      func: () => {
        throw new Error('boom')
      },
    }),
  })
  return createHandler(app)
}

function byName(name: string): ReadableSpan {
  const span = spans.getFinishedSpans().find((candidate) => candidate.name === name)
  if (span === undefined) throw new Error(`no span ${name}`)
  return span
}

beforeEach(() => spans.reset())

describe('openTelemetry: spans', () => {
  it('makes one server span per stream that ends when the stream ends, with its figures', async () => {
    const handle = tracedApp()
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const response = await handle(coreRequest('GET', '/count/3', { traceparent, 'last-event-id': '1' }))
    expect(spans.getFinishedSpans().map((span) => span.name)).toEqual(['step 2']) // not ended yet
    const text = await readStream(response)
    const server = byName('GET /count/:to')
    expect(server.kind).toBe(SpanKind.SERVER)
    expect(server.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c')
    expect(server.parentSpanContext?.spanId).toBe('b7ad6b7169203331')
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/count/:to',
      'url.path': '/count/3',
      'http.response.status_code': 200,
      'sluice.stream.events': 2,
      'sluice.stream.bytes': text.length - text.indexOf('id: 2'),
      'sluice.stream.end_reason': 'done',
      'sluice.stream.last_event_id': '1',
    })
    expect(server.attributes['sluice.stream.time_to_first_event_ms']).toBeGreaterThanOrEqual(0)
    expect(server.events.map((event) => event.name)).toEqual(['sluice.first_event'])
    expect(server.status.code).toBe(SpanStatusCode.UNSET)
    for (const step of ['step 2', 'step 3']) {
      expect(byName(step).parentSpanContext?.spanId).toBe(server.spanContext().spanId)
    }
  })

  it('sets an error status on an error event and on a 500, not on a 4xx', async () => {
    const handle = tracedApp()
    await readStream(await handle(coreRequest('GET', '/count/1?fail=yes')))
    expect(byName('GET /count/:to')).toMatchObject({
      status: { code: SpanStatusCode.ERROR, message: 'FAILED' },
      attributes: { 'sluice.stream.end_reason': 'error', 'error.type': 'FAILED' },
    })
    spans.reset()
    await handle(coreRequest('GET', '/crash'))
    expect(byName('GET /crash')).toMatchObject({
      status: { code: SpanStatusCode.ERROR },
      attributes: { 'http.response.status_code': 500, 'error.type': 'INTERNAL' },
    })
    spans.reset()
    await handle(coreRequest('GET', '/count/nope'))
    expect(byName('GET /count/:to')).toMatchObject({
      status: { code: SpanStatusCode.UNSET },
      attributes: { 'http.response.status_code': 400 },
    })
  })

  it('nests under a span that is already active, naming it by the route (no second server span)', async () => {
    const handle = tracedApp()
    const outer = work.startSpan('GET', { kind: SpanKind.SERVER })
    const response = await context.with(trace.setSpan(context.active(), outer), () =>
      handle(coreRequest('GET', '/count/1')),
    )
    await readStream(response)
    outer.end()
    const mine = byName('GET /count/:to')
    expect(mine.kind).toBe(SpanKind.INTERNAL)
    expect(mine.parentSpanContext?.spanId).toBe(outer.spanContext().spanId)
    expect(byName('GET /count/:to').name).toBe('GET /count/:to')
    const servers = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER)
    expect(servers.map((span) => [span.name, span.attributes['http.route']])).toEqual([
      ['GET /count/:to', '/count/:to'],
    ])
  })
})

describe('openTelemetry: metrics', () => {
  it('counts open streams and events sent under documented names', async () => {
    const handle = tracedApp()
    const response = await handle(coreRequest('GET', '/count/2'))
    const opened = await collect()
    expect(opened[metricNames.openStreams]).toBe(1)
    await readStream(response)
    const after = await collect()
    expect(after[metricNames.openStreams]).toBe(0)
    expect(after[metricNames.eventsSent]).toBeGreaterThanOrEqual(2)
  })
})

// The metrics' values summed over their attribute sets, by name, as the SDK exports them.
async function collect(): Promise<Record<string, number>> {
  metricExporter.reset()
  await reader.forceFlush()
  const values: Record<string, number> = {}
  for (const resource of metricExporter.getMetrics())
    for (const scope of resource.scopeMetrics)
      for (const metric of scope.metrics)
        values[metric.descriptor.name] = metric.dataPoints.reduce(
          (sum, point) => sum + Number(point.value),
          0,
        )
  return values
}

describe('openTelemetry: without an SDK', () => {
  const observed = {
    request: coreRequest('GET', '/count/1'),
    route: { method: 'GET', path: '/count/:to', name: 'count', kind: 'stream' as const },
    path: '/count/1',
  }

  it('follows nothing while no SDK is registered, and spans once one is', async () => {
    const observer = openTelemetry()
    // A blank no-op span per request would still cost a probe, a context and an observation.
    expect(observer.start(observed)).toBeUndefined()
    trace.setGlobalTracerProvider(tracerProvider)
    try {
      const probe = observer.start(observed)
      expect(probe).toBeDefined()
      probe?.end({
        status: 200,
        stream: false,
        reason: 'done',
        durationMs: 1,
        events: 0,
        bytes: 0,
        firstEventMs: undefined,
        error: undefined,
        headers: {},
      })
      expect(byName('GET /count/:to').attributes['http.route']).toBe('/count/:to')
    } finally {
      trace.disable()
    }
  })
})
