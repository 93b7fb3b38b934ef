import {
  createHandler,
  toErrorResponse,
  type App,
  type CoreRequest,
  type CoreResponse,
  type WireError,
} from '@sluice/core/adapter'
import { sendCoreResponse, writeResponse, type UwsResponse } from './send-core-response'
import { toCoreRequest, type UwsRequest } from './to-core-request'
import { toFramingError } from './to-framing-error'

/** A uWS route handler serving a sluice app. */
export type UwsHandler = (res: UwsResponse, req: UwsRequest) => void

/** The one `TemplatedApp` method sluice uses (`uWS.App()` or `uWS.SSLApp()`). */
export interface UwsApp {
  any(pattern: string, handler: UwsHandler): unknown
}

/**
 * Serves a sluice app on a user's `uWS.App()` through a catch-all `any('/*')` route. Routes
 * the user registers with a more specific pattern still win; sluice answers 404 / 405 itself.
 */
export function attachUws<T extends UwsApp>(uwsApp: T, app: App): T {
  uwsApp.any('/*', createUwsHandler(app))
  return uwsApp
}

/** Creates a `(res, req)` handler for any uWS route, e.g. `uwsApp.any('/api/*', handler)`. */
export function createUwsHandler(app: App): UwsHandler {
  const handle = createHandler(app)
  const options = { maxBodyBytes: app.options.limits.bodyBytes }
  return (res, req) => {
    const request = toCoreRequest(res, req, options)
    const refused = toFramingError(request.headers)
    if (refused !== undefined) {
      refuseLater(res, request, refused)
      return
    }
    // One reaction per request: a JSON answer is written in it, a stream's writer goes on.
    handle(request).then(
      (response) => send(res, response, request),
      (error: unknown) => fail(res, request, error),
    )
  }
}

function send(res: UwsResponse, response: CoreResponse, request: CoreRequest): void {
  try {
    writeResponse(res, response, request)
  } catch (error) {
    sendFailed(error)
  }
}

// A stream that could not finish was already dropped by its writer.
function sendFailed(error: unknown): void {
  console.error('sluice: could not send the response:', error)
}

// Only a runtime fault gets here (core answers every error itself); say nothing specific.
function fail(res: UwsResponse, request: CoreRequest, error: unknown): void {
  console.error('sluice: could not handle the request:', error)
  if (request.signal.aborted) return
  res.cork(() => {
    res.writeStatus('500 Internal Server Error')
    res.writeHeader('content-type', 'application/json; charset=utf-8')
    res.end(INTERNAL)
  })
}

/**
 * Answers a request refused for its framing with a 400 and closes the connection, once uWS has
 * finished the read it came in. From the handler, the 400 would wait in uWS's cork buffer while
 * its parser ran the bytes after it as the next request, and a `close()` there drops the 400.
 * Left pending until then, any request uWS parses behind it makes uWS close the connection
 * itself (it never runs a request while one is pending): nothing in the body is ever run.
 */
function refuseLater(res: UwsResponse, request: CoreRequest, error: WireError): void {
  setImmediate(() => {
    sendCoreResponse(res, toErrorResponse(error, { connection: 'close' }), request).catch(
      (cause: unknown) => {
        console.error('sluice: could not send the response:', cause)
      },
    )
  })
}

const INTERNAL = JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal server error' } })
