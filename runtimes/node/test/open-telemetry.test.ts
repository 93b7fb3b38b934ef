import { createRequire } from 'node:module'
import { context, propagation, SpanKind } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { hrTimeToNanoseconds, W3CTraceContextPropagator } from '@opentelemetry/core'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp, defineFunction, withEvent, wireHTTP } from '@sluice/core'
import { openTelemetry } from '@sluice/core/otel'
import { serve } from '../src/index'

const spans = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
// What an SDK's setup registers; the instrumentation reads `traceparent` through it.
propagation.setGlobalPropagator(new W3CTraceContextPropagator())
const http = new HttpInstrumentation()
const unregister = registerInstrumentations({ instrumentations: [http], tracerProvider })
// The instrumentation patches node:http when it is required; sluice imports it as ESM, which
// shares the module object, so one require applies the patch to the server sluice makes.
createRequire(import.meta.url)('node:http')

afterAll(() => {
  unregister()
  context.disable()
  propagation.disable()
})

describe('openTelemetry under @opentelemetry/instrumentation-http (node:http)', () => {
  it('nests under the server span it made, which carries the route and ends with the stream', async () => {
    const app = createApp({ sse: { heartbeatMs: 0 }, observers: [openTelemetry({ tracerProvider })] })
    const work = tracerProvider.getTracer('app')
    const count = defineFunction({
      async *func() {
        for (let i = 1; i <= 3; i++) {
          work.startSpan(`step ${i}`).end()
          yield withEvent({ id: String(i) }, { i })
        }
        // The stream ends well after its head went out and after its last step.
        await new Promise((resolve) => setTimeout(resolve, 25))
        return { total: 3 }
      },
    })
    wireHTTP(app, { method: 'get', route: '/count/:to', func: count })
    const served = await serve(app, { port: 0 })
    try {
      const response = await fetch(`${served.url}/count/3`, {
        headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      })
      expect(await response.text()).toContain('event: done')
      // The instrumentation ends its span on the response's `finish`, after the body was read.
      await expect.poll(() => spans.getFinishedSpans().length, { timeout: 5000 }).toBe(5)
    } finally {
      await served.close()
    }
    const finished = spans.getFinishedSpans()
    const servers = finished.filter((span) => span.kind === SpanKind.SERVER)
    expect(servers).toHaveLength(1) // one server span: the instrumentation's
    const [server] = servers
    expect(server?.name).toBe('GET /count/:to')
    expect(server?.attributes).toMatchObject({ 'http.route': '/count/:to', 'http.response.status_code': 200 })
    expect(server?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c')
    const mine = finished.find((span) => span.kind === SpanKind.INTERNAL && span.name === 'GET /count/:to')
    expect(mine?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId)
    expect(mine?.attributes).toMatchObject({ 'sluice.stream.events': 3, 'sluice.stream.end_reason': 'done' })
    for (const step of finished.filter((span) => span.name.startsWith('step ')))
      expect(step.parentSpanContext?.spanId).toBe(mine?.spanContext().spanId)
    // Both end with the stream (after its last step), not when the headers went out, 25 ms
    // before. The SDK anchors each span's start to Date.now(), in whole milliseconds, so spans
    // ending within a millisecond of each other may be ordered either way: 1 ms of slack.
    const endOf = (span: ReadableSpan | undefined): number => (span ? hrTimeToNanoseconds(span.endTime) : NaN)
    const lastStep = endOf(finished.find((span) => span.name === 'step 3'))
    const slack = 1e6
    expect(endOf(mine)).toBeGreaterThanOrEqual(lastStep + 10e6)
    expect(endOf(server)).toBeGreaterThanOrEqual(endOf(mine) - slack)
  })
})
