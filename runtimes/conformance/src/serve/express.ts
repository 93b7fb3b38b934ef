import type { App } from '@sluice/core'
import type { Running } from '../runtimes'

/** Serves an app on express for the fixture and the suite (stub until issue 3 lands it). */
export function serveExpress(_app: App, _port: number): Promise<Running> {
  return Promise.reject(new Error('the express runtime is not built yet'))
}
