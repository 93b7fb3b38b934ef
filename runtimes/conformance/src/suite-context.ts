/** The fixture servers the suite starts, each with its own settings (see `variants` in suite.ts). */
export type FixtureServer = 'main' | 'heartbeat' | 'short' | 'slow' | 'cors'

/** The servers every case can reach: the fixture with default, heartbeat, short-stream and CORS settings. */
export interface SuiteContext {
  /** Base URL of a fixture server. */
  url: (server?: FixtureServer) => string
  /** Registers one case, unless the runtime declared that it cannot pass it. */
  test: (name: string, body: () => Promise<void>) => void
}
