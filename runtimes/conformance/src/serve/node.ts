import type { App } from '@sluice/core'
import { serve } from '@sluice/node'
import type { Running } from './running'

/** Serves an app on node:http for the fixture and the suite. */
export function serveNode(app: App, port: number): Promise<Running> {
  return serve(app, { port, host: '127.0.0.1' })
}
