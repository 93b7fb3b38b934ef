import type { RequestInfo, Services, Session } from '../app/define-function'
import type { Route } from '../app/wire-http'
import type { ChannelQueue } from '../stream/channel'
import type { CallSignal } from './call-signal'
import type { ResponseHeaders } from './respond'
import type { Context } from './stream-response'

/** What the pipeline has gathered by the time it builds the context. */
export interface ContextParts {
  route: Route
  input: unknown
  services: Services
  session: Session | undefined
  lastEventId: string | undefined
  channel: ChannelQueue<unknown, unknown> | undefined
  request: RequestInfo
  vars: Readonly<Record<string, unknown>>
  headers: ResponseHeaders
  callSignal: CallSignal
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

  constructor(parts: ContextParts) {
    this.input = parts.input
    this.services = parts.services
    this.session = parts.session
    this.lastEventId = parts.lastEventId
    this.channel = parts.channel
    this.request = parts.request
    this.vars = parts.vars
    // One function per route, made at wiring: nothing allocated per call.
    this.error = parts.route.error
    this.callSignal = parts.callSignal
    this.headers = parts.headers
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
