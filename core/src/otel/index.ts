/** @sluice/core/otel: OpenTelemetry spans and metrics for every request and stream. */
export { openTelemetry, metricNames, type OpenTelemetryOptions } from './open-telemetry'
export { extractTraceParent } from './trace-parent'
