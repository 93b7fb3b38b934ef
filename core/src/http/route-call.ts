import type { CoreRequest } from '../adapter/types'
import type { App } from '../app/create-app'
import type { RequestInfo, Services, Session } from '../app/define-function'
import type { Route } from '../app/wire-http'
import { WireError } from '../errors/wire-error'
import type { Observation } from '../observe/observation'
import { ChannelQueue } from '../stream/channel'
import type { AbortWatch } from '../stream/event-stream-options'
import { CallContext } from './call-context'
import { CallSignal } from './call-signal'
import { acceptsEventStream } from './negotiate'
import { ResponseHeaders } from './respond'
import type { Call } from './stream-response'

/**
 * One request on its way through the pipeline. Each step reads what the steps before it
 * set; a later middleware layer composes the same steps with its own between them.
 */
export interface Exchange {
  readonly app: App
  readonly route: Route
  readonly request: CoreRequest
  readonly info: RequestInfo
  /** The query string, without `?`. */
  readonly search: string
  /** The request's observers and middleware hooks; absent when nothing observes the route. */
  readonly observation: Observation | undefined
}

/** The input step's result: the validated input and the checked `Last-Event-ID`. */
export interface ReadInput {
  input: unknown
  lastEventId: string | undefined
}

const noop = (): void => undefined

/**
 * One call in progress, made once the input is read: the function's context, its signal, a
 * progressive route's channel and the response headers. A class, so every request's call has
 * one hidden class; `abort` is a function of its own only once a stream asks for it.
 */
export class RouteCall implements Call {
  readonly app: App
  readonly route: Route
  readonly request: CoreRequest
  readonly info: RequestInfo
  readonly services: Services
  readonly session: Session | undefined
  readonly observation: Observation | undefined
  readonly callSignal: CallSignal
  readonly headers = new ResponseHeaders()
  readonly channel: ChannelQueue<unknown, unknown> | undefined
  /** Names the session for `limits.maxStreamsPerSession`. */
  readonly sessionKey: string | undefined
  readonly ctx: CallContext
  release: () => void = noop

  constructor(
    exchange: Exchange,
    session: Session | undefined,
    read: ReadInput,
    vars: Readonly<Record<string, unknown>>,
  ) {
    const { app, route, request } = exchange
    const { options } = app
    this.app = app
    this.route = route
    this.request = request
    this.info = exchange.info
    this.services = options.services
    this.session = session
    this.observation = exchange.observation
    this.callSignal = new CallSignal(request)
    this.channel =
      route.contract.kind === 'progressive' && acceptsEventStream(request.headers.accept)
        ? new ChannelQueue<unknown, unknown>(route.stream.maxQueuedEvents, () =>
            this.abort(new WireError('SLOW_CONSUMER', 'The client did not read the stream fast enough')),
          )
        : undefined
    this.sessionKey =
      session === undefined || session === null ? undefined : options.limits.sessionKey(session)
    this.ctx = new CallContext(this, read.input, read.lastEventId, vars)
  }

  /** Aborts `ctx.signal`. */
  get abort(): (reason: unknown) => void {
    return this.callSignal.aborter
  }

  /** Tells the stream of an abort without making `ctx.signal`. */
  get aborts(): AbortWatch {
    return this.callSignal
  }
}
