import type { App, CloseOptions } from '@sluice/core'

/** A running server the suite can talk to. */
export interface Running {
  url: string
  /** Graceful: open streams get a final `retry:` and their functions finish, then sockets close. */
  close(options?: CloseOptions): Promise<void>
}

/** Serves an app on a runtime, on 127.0.0.1 and the given port (0: any free port). */
export type ServeApp = (app: App, port: number) => Promise<Running>
