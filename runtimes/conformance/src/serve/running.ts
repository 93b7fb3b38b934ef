import type { App, Served } from '@sluice/core/adapter'

/** Serves an app on a runtime, on 127.0.0.1 and the given port (0: any free port). */
export type ServeApp = (app: App, port: number) => Promise<Served>
