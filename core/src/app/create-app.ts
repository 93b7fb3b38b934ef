import type { RequestInfo, Services, Session } from './define-function'
import { Router } from '../http/router'
import type { Route } from './route'
import { Lifecycle } from './lifecycle'
import { resolveCors } from '../http/cors'
import type { AppOptions, ResolvedOptions } from './app-options'

export type { AppOptions, Limits, ResolvedOptions, StreamOptions } from './app-options'
import { createAccessLog } from '../observe/access-log'
import { consoleLogger, toErrorRecord, type Logger } from '../observe/logger'

/** An app: options and the routes wired to it. Hand it to a runtime adapter to serve it. */
export interface App {
  readonly options: ResolvedOptions
  readonly routes: readonly Route[]
  /** Used by the request handler; routes are added through `wireHTTP`. */
  readonly router: Router<Route>
  /** Open streams and whether the app is closing (`closeApp`). */
  readonly lifecycle: Lifecycle
}

/** The defaults sluice uses when an option is not given. */
export const defaults = {
  heartbeatMs: 15_000,
  retryMs: 2_000,
  openWaitMs: 250,
  maxQueuedEvents: 1024,
  bodyBytes: 1024 * 1024,
  jsonDepth: 64,
  slowConsumerMs: 30_000,
  maxEventBytes: 1024 * 1024,
  maxStreams: 20_000,
  maxStreamsPerSession: 100,
  lastEventIdBytes: 1024,
} as const

function defaultSessionKey(session: Session): string {
  if (typeof session === 'string' || typeof session === 'number') return String(session)
  const id = (session as { id?: unknown } | null)?.id
  return typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(session)
}

/** Creates an app; wire functions to it with `wireHTTP`, then serve it with a runtime. */
export function createApp(options: AppOptions = {}): App {
  const sse = options.sse ?? {}
  const logger = options.logger ?? consoleLogger
  const { accessLog } = options
  const observers = [...(options.observers ?? [])]
  if (accessLog !== undefined && accessLog !== false)
    observers.unshift(createAccessLog(logger, accessLog === true ? {} : accessLog))
  return {
    options: {
      // The cast matters once `Register` names a services type: then `{}` is only a default.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      services: options.services ?? ({} as Services),
      sse: {
        heartbeatMs: sse.heartbeatMs ?? defaults.heartbeatMs,
        retryMs: sse.retryMs ?? defaults.retryMs,
        maxDurationMs: sse.maxDurationMs,
        headers: sse.headers ?? {},
        openWaitMs: sse.openWaitMs ?? defaults.openWaitMs,
        maxQueuedEvents: sse.maxQueuedEvents ?? defaults.maxQueuedEvents,
        slowConsumerMs: sse.slowConsumerMs ?? defaults.slowConsumerMs,
        maxEventBytes: sse.maxEventBytes ?? defaults.maxEventBytes,
      },
      limits: {
        bodyBytes: options.limits?.bodyBytes ?? defaults.bodyBytes,
        jsonDepth: options.limits?.jsonDepth ?? defaults.jsonDepth,
        maxStreams: options.limits?.maxStreams ?? defaults.maxStreams,
        maxStreamsPerSession: options.limits?.maxStreamsPerSession ?? defaults.maxStreamsPerSession,
        lastEventIdBytes: options.limits?.lastEventIdBytes ?? defaults.lastEventIdBytes,
        sessionKey: options.limits?.sessionKey ?? defaultSessionKey,
      },
      authenticate: options.authenticate,
      onError: options.onError ?? ((error, request) => logError(logger, error, request)),
      cors: resolveCors(options.cors),
      use: options.use ?? [],
      logger,
      observers,
    },
    routes: [],
    router: new Router<Route>(),
    lifecycle: new Lifecycle(),
  }
}

// The default error sink: the server's log gets the whole error; the wire gets none of it.
function logError(logger: Logger, error: unknown, request: RequestInfo): void {
  logger.error(toErrorRecord(error, request), `sluice: ${request.method} ${request.path} failed`)
}
