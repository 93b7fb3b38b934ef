/** A stream the app can end on shutdown; resolves once its function has finished. */
export interface OpenStream {
  shutdown(retryMs: number): Promise<void>
}

/** Where open streams register, so shutdown can reach them (the app's `Lifecycle`). */
export interface StreamRegistry {
  readonly streams: Set<OpenStream>
}
