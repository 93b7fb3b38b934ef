/** The fixture servers the suite starts, each with its own settings (see `variants` in suite.ts). */
export type FixtureServer = 'main' | 'heartbeat' | 'short' | 'slow' | 'cors' | 'leaky'

/** The servers every case can reach: the fixture with default, heartbeat, short-stream, CORS and leak settings. */
export interface SuiteContext {
  /** Base URL of a fixture server. */
  url: (server?: FixtureServer) => string
  /** Registers one case, unless the runtime declared that it cannot pass it. */
  test: (name: string, body: () => Promise<void>) => void
}

/** The `leaky` fixture's `limits.maxStreams`: one leaked slot shows as a 429 at once. */
export const LEAKY_STREAMS = 4
