import type { App } from '@sluice/core'
import { serve } from '@sluice/node'

/** A running server the suite can talk to. */
export interface Running {
  url: string
  close(): Promise<void>
}

/** Serves an app on a runtime, on 127.0.0.1 and the given port (0: any free port). */
export type ServeApp = (app: App, port: number) => Promise<Running>

/** Every runtime the fixture can run on; issue 3 adds express, fastify and uws here. */
export const runtimes: Record<string, ServeApp> = {
  node: (app, port) => serve(app, { port, host: '127.0.0.1' }),
}
