import type { Logger } from './logger'
import type { ObservedEnd, ObservedRequest, Probe, RequestObserver } from './observer'

/** Options of the access log (`createApp({ accessLog })`). */
export interface AccessLogOptions {
  /** More header names to redact, besides `authorization`, `cookie`, `set-cookie` (any case). */
  redact?: readonly string[]
}

const alwaysRedacted = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization']

/**
 * One `info` line per request or stream, when it ends: method, route template, status,
 * duration, and for a stream its events, bytes and end reason; headers with secrets redacted.
 */
export function createAccessLog(logger: Logger, options: AccessLogOptions = {}): RequestObserver {
  const redacted = new Set([...alwaysRedacted, ...(options.redact ?? []).map((name) => name.toLowerCase())])
  return {
    start({ request, route, path }: ObservedRequest): Probe {
      return {
        end(end: ObservedEnd) {
          const record: Record<string, unknown> = {
            method: request.method,
            route: route.path,
            path,
            status: end.status,
            durationMs: round(end.durationMs),
            req: { headers: redact(request.headers, redacted) },
            res: { headers: redact(end.headers, redacted) },
          }
          if (end.error !== undefined) record['error'] = end.error.code
          if (end.stream) {
            Object.assign(record, { events: end.events, bytes: end.bytes, endReason: end.reason })
            if (end.firstEventMs !== undefined) record['firstEventMs'] = round(end.firstEventMs)
          }
          logger.info(record, toMessage(request.method, route.path, end))
        },
      }
    },
  }
}

function toMessage(method: string, route: string, end: ObservedEnd): string {
  const head = `${method} ${route} ${end.status}`
  const ms = `${round(end.durationMs)} ms`
  if (!end.stream) return `${head} ${ms}${end.error === undefined ? '' : ` ${end.error.code}`}`
  return `${head} stream ${end.reason} ${end.events} events ${end.bytes} B ${ms}`
}

function redact<T>(
  headers: Readonly<Record<string, T | undefined>>,
  names: Set<string>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const name in headers) copy[name] = names.has(name.toLowerCase()) ? '[redacted]' : headers[name]
  return copy
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
