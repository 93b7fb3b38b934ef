import type { App } from '@sluice/core'
import { serve } from '@sluice/node'
import type { Served } from '@sluice/core/adapter'
import { testCertificate } from './test-certificate'

/** Serves an app on node:http2 over TLS (self-signed, HTTP/1.1 allowed) for the fixture and the suite. */
export function serveNodeHttp2(app: App, port: number): Promise<Served> {
  return serve(app, { port, host: '127.0.0.1', http2: testCertificate() })
}
