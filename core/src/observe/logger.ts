import type { RequestInfo } from '../errors/request-info'
import type { Issue } from '../schema/validate'

/** A logger with pino's shape (pino, and bunyan-style loggers, fit as they are). */
export interface Logger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/**
 * The default logger: errors only (info and warn are dropped), to the console, readable:
 * the error's stack, then its schema issues one per line (`  - items.0.name: Required`).
 */
export const consoleLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error(obj, msg) {
    const { err, issues } = obj as { err?: unknown; issues?: readonly string[] }
    const lines = [msg ?? 'sluice: error']
    if (err !== undefined) lines.push(err instanceof Error ? (err.stack ?? err.message) : describe(err))
    for (const issue of issues ?? []) lines.push(`  - ${issue}`)
    console.error(lines.join('\n'))
  },
}

// Anything thrown that is not an Error: a string as is, else its JSON when it has one.
function describe(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    // undefined for a function or a symbol, despite its type
    const text = JSON.stringify(value) as string | undefined
    return text ?? typeof value
  } catch {
    return typeof value // a cycle or a BigInt
  }
}

/**
 * The log record of a failed request: `err`, the request's method and path, and the schema
 * issues of a broken contract spelled out as `path: message` (not `path: [Array]`).
 */
export function toErrorRecord(error: unknown, request: RequestInfo): Record<string, unknown> {
  const record: Record<string, unknown> = { err: error, method: request.method, path: request.path }
  const issues = findIssues(error)
  if (issues !== undefined) record['issues'] = issues.map(formatIssue)
  return record
}

// INVALID_OUTPUT carries the validator's issues as its cause.
function findIssues(error: unknown): Issue[] | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause
  if (!Array.isArray(cause) || !cause.every(isIssue)) return undefined
  return cause
}

function isIssue(value: unknown): value is Issue {
  return typeof value === 'object' && value !== null && 'message' in value && 'path' in value
}

function formatIssue(issue: Issue): string {
  const path = issue.path.length === 0 ? '(value)' : issue.path.join('.')
  return `${path}: ${issue.message}`
}
