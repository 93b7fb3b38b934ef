import type { Schema } from '../schema/schema'
import type { ErrorSpec, SuccessStatus } from './define-function'

/** How a route answers: a JSON value, always a stream, or JSON unless the client asks for a stream. */
export type RouteKind = 'json' | 'stream' | 'progressive'

/** Documentation for a route, used by the OpenAPI export. */
export interface RouteDocs {
  summary?: string
  description?: string
  tags?: string[]
  deprecated?: boolean
}

/** A declared error code with its status settled. */
export interface DeclaredError {
  readonly status: number
  readonly details?: Schema
}

/**
 * Everything a route promises, decided once by `wireHTTP`: the server answers by it, the
 * client generator and the OpenAPI export describe it. A plain record; nothing here runs.
 */
export interface RouteContract {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** With `:param` segments, as wired. */
  readonly path: string
  /** The names of the path's `:param` segments, in order. */
  readonly params: readonly string[]
  /** The client method name and OpenAPI operationId, unique in the app. */
  readonly name: string
  /** `stream`: an `async function*`; `progressive`: `sse: true`; else `json`. */
  readonly kind: RouteKind
  /** A session is required (401 without one). */
  readonly auth: boolean
  /** The status of a successful JSON answer (a value of `undefined` is always a 204). */
  readonly status: SuccessStatus
  readonly input: Schema | undefined
  readonly event: Schema | undefined
  /** The named event kinds, when the function declares `events` (then `event` is undefined). */
  readonly events: Readonly<Record<string, Schema>> | undefined
  readonly output: Schema | undefined
  /** The codes the function declares, besides sluice's own. */
  readonly errors: Readonly<Record<string, DeclaredError>>
  readonly description: string | undefined
  readonly docs: RouteDocs | undefined
}

/** A declared error spec with its status filled in from the status table. */
export function toDeclaredError(spec: ErrorSpec, fallback: number): DeclaredError {
  const status = spec.status ?? fallback
  return spec.details === undefined ? { status } : { status, details: spec.details }
}
