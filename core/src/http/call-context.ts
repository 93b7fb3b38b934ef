import type { RequestInfo, Services, Session } from '../app/define-function'
import type { Route } from '../app/wire-http'
import type { ChannelQueue } from '../stream/channel'
import type { CallSignal } from './call-signal'
import type { ResponseHeaders } from './respond'
import type { Context } from './stream-response'

/** What a context is made from: the call in progress (`RouteCall`). */
export interface ContextSource {
  readonly route: Route
  readonly services: Services
  readonly session: Session | undefined
  readonly channel: ChannelQueue<unknown, unknown> | undefined
  readonly info: RequestInfo
  readonly callSignal: CallSignal
  readonly headers: ResponseHeaders
}

/**
 * The one context object a function receives. A class, so every call's context shares one
 * hidden class, and `signal` and `setHeader` are getters on the prototype: a function that
 * never reads them costs no AbortController and no closure (destructuring reads them as usual).
 */
export class CallContext implements Context {
  readonly input: unknown
  readonly services: Services
  readonly session: Session | undefined
  readonly lastEventId: string | undefined
  readonly channel: ChannelQueue<unknown, unknown> | undefined
  readonly request: RequestInfo
  readonly vars: Context['vars']
  readonly error: Context['error']
  private readonly callSignal: CallSignal
  private readonly headers: ResponseHeaders

  // Made per request: the call's own parts are passed as they are, not in an options object.
  constructor(call: ContextSource, input: unknown, lastEventId: string | undefined, vars: Context['vars']) {
    this.input = input
    this.services = call.services
    this.session = call.session
    this.lastEventId = lastEventId
    this.channel = call.channel
    this.request = call.info
    this.vars = vars
    // One function per route, made at wiring: nothing allocated per call.
    this.error = call.route.error
    this.callSignal = call.callSignal
    this.headers = call.headers
  }

  /** Aborts when the client leaves, the stream hits `maxDurationMs`, or the app shuts down. */
  get signal(): AbortSignal {
    return this.callSignal.signal
  }

  /** Sets a response header (checked at once); before the response starts only. */
  get setHeader(): Context['setHeader'] {
    return this.headers.set
  }
}
