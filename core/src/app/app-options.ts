import type { CorsOptions, ResolvedCors } from '../http/cors'
import type { RequestInfo, Services, Session } from './define-function'
import type { AnyMiddleware, Middleware } from '../middleware/define-middleware'
import type { AccessLogOptions } from '../observe/access-log'
import type { Logger } from '../observe/logger'
import type { RequestObserver } from '../observe/observer'

/** Stream settings; app-wide in `createApp`, overridable per route in `wireHTTP`. */
export interface StreamOptions {
  /** Send `: ping` after this many ms without a write; 0 turns heartbeats off. Default 15000. */
  heartbeatMs?: number
  /** Sent as `retry:` when the stream opens, so clients reconnect after this delay. Default 2000. */
  retryMs?: number
  /** End a stream after this long, without `done`, so the client reconnects and resumes. */
  maxDurationMs?: number
  /** Extra response headers on every stream. */
  headers?: Record<string, string>
  /**
   * How long to wait for a generator's first step before sending the headers. A throw in that
   * time is a real HTTP status with a JSON body; after it the stream opens anyway. Default 250.
   */
  openWaitMs?: number
  /** Events a `channel` may queue for a client that is not reading; past it the stream ends. Default 1024. */
  maxQueuedEvents?: number
  /** End a stream whose client has not read for this long (its socket stays full). Default 30000; 0 never. */
  slowConsumerMs?: number
  /** Largest encoded event in bytes; a larger one ends the stream with `EVENT_TOO_LARGE`. Default 1 MiB. */
  maxEventBytes?: number
}

/** Size limits on requests. */
export interface Limits {
  /** Largest request body in bytes; larger is a 413. Default 1 MiB. */
  bodyBytes?: number
  /** Deepest nesting of arrays and objects in a JSON body; deeper is a 400. Default 64. */
  jsonDepth?: number
  /** Open streams the app holds at once; one more is a 429. Default 20000. */
  maxStreams?: number
  /** Open streams one session holds at once; one more is a 429. Default 100. */
  maxStreamsPerSession?: number
  /**
   * Longest `Last-Event-ID` accepted, and so the longest event id a stream may send (a longer
   * one ends the stream with an error). A header longer, or not an id `withEvent` takes, is a 400. Default 1024.
   */
  lastEventIdBytes?: number
  /**
   * Names a session for `maxStreamsPerSession`. Default: a string or number session itself, an
   * object's `id`, else its JSON.
   */
  sessionKey?: (session: Session) => string
}

/** The one options object of `createApp`. */
export interface AppOptions {
  /** Singleton services, handed to every function as `ctx.services`. */
  services?: Services
  sse?: StreamOptions
  limits?: Limits
  /** Returns the session for a request, or `undefined`; `auth: true` routes need one (else 401). */
  authenticate?: (request: RequestInfo) => Session | undefined | Promise<Session | undefined>
  /** Called with every error that did not reach the client as itself (500s, stream failures). */
  onError?: (error: unknown, request: RequestInfo) => void
  /** Cross-origin access, answered by core on every runtime alike. Default: none (same origin only). */
  cors?: CorsOptions
  /** Middleware around every route's function, outermost first (see docs/middleware.md). */
  use?: readonly AnyMiddleware[]
  /** Where errors (and the access log) go; pino's shape. Default: errors only, to the console. */
  logger?: Logger
  /** One `info` line per request or stream, through `logger`. Default off. */
  accessLog?: boolean | AccessLogOptions
  /** Watch every routed request to its end: `openTelemetry()` from `@sluice/core/otel`, your own. */
  observers?: readonly RequestObserver[]
}

/** A resolved copy of the options, every default filled in. */
export interface ResolvedOptions {
  services: Services
  sse: Required<Omit<StreamOptions, 'maxDurationMs'>> & Pick<StreamOptions, 'maxDurationMs'>
  limits: Required<Limits>
  authenticate: AppOptions['authenticate']
  onError: (error: unknown, request: RequestInfo) => void
  cors: ResolvedCors | undefined
  use: readonly Middleware[]
  logger: Logger
  /** The app's observers, the access log among them when it is on. */
  observers: readonly RequestObserver[]
}
