import { propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api'

// https://www.w3.org/TR/trace-context/#traceparent-header-field-values (version 00)
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/
const ZEROS = /^0+$/

/**
 * The remote parent of a request: the registered propagator's, else sluice's own reading of
 * `traceparent`, since on fetch runtimes nothing else reads it and the API alone has no propagator.
 */
export function extractTraceParent(headers: Readonly<Record<string, string | undefined>>): Context {
  const extracted = propagation.extract(ROOT_CONTEXT, headers)
  if (trace.getSpanContext(extracted) !== undefined) return extracted
  const match = TRACEPARENT.exec(headers['traceparent']?.trim() ?? '')
  if (match === null) return ROOT_CONTEXT
  const [, traceId = '', spanId = '', flags = '00'] = match
  if (ZEROS.test(traceId) || ZEROS.test(spanId)) return ROOT_CONTEXT
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & 1,
    isRemote: true,
  })
}
