// Dev aid: a traced, logged stream on node:http, printing its access log line and its span
// tree from the in-memory exporter (the issue note's figures).
//   node --import tsx bench/src/observe-demo.ts
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { pino } from 'pino'
import { createApp, defineFunction, defineMiddleware, wireHTTP, withEvent } from '@sluice/core'
import { openTelemetry } from '@sluice/core/otel'
import { serve } from '@sluice/node'

const spans = new InMemorySpanExporter()
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
propagation.setGlobalPropagator(new W3CTraceContextPropagator())
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }))

const withUser = defineMiddleware({
  name: 'withUser',
  handle: async (ctx, next) => {
    ctx.setHeader('x-request-id', ctx.request.headers['x-request-id'] ?? crypto.randomUUID())
    return next({ user: { id: 'ada' } })
  },
})
const tracer = trace.getTracer('app')
const count = defineFunction({
  use: [withUser],
  async *func({ vars, lastEventId }) {
    for (let i = Number(lastEventId ?? 0) + 1; i <= 3; i++) {
      tracer.startSpan(`load item ${i} for ${vars.user.id}`).end()
      yield withEvent({ id: String(i) }, { i })
    }
    return { total: 3 }
  },
})
const app = createApp({ logger: pino(), accessLog: true, observers: [openTelemetry()] })
wireHTTP(app, { method: 'get', route: '/count/:to', func: count })
const served = await serve(app, { port: 0 })
const response = await fetch(`${served.url}/count/3`, {
  headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'last-event-id': '1' },
})
await response.text()
await served.close()

const all = spans.getFinishedSpans()
function print(parent: string | undefined, depth: number): void {
  for (const span of all.filter((s: ReadableSpan) => s.parentSpanContext?.spanId === parent)) {
    const ms = (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(1)
    const attrs = Object.entries(span.attributes).filter(([key]) => /^(http|sluice)\./.test(key))
    console.log(
      `${'  '.repeat(depth)}${span.name} [${['INTERNAL', 'SERVER'][span.kind] ?? span.kind}] ${ms} ms`,
    )
    for (const [key, value] of attrs) console.log(`${'  '.repeat(depth + 2)}${key}=${String(value)}`)
    print(span.spanContext().spanId, depth + 1)
  }
}
print('b7ad6b7169203331', 0)
