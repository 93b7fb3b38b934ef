import { expect } from 'vitest'
import { createFixtureApp } from '../fixture-app'
import { readFrames, type Frame } from '../sse-reader'
import type { ServeApp } from '../serve/running'

/** Graceful shutdown, on a server of its own (it is closed by the case). */
export function shutdownCases(
  serve: ServeApp,
  test: (name: string, body: () => Promise<void>) => void,
): void {
  test('close() ends every stream with a jittered retry, no done, and runs every finally', async () => {
    const app = createFixtureApp()
    const { finalized } = app.options.services as { finalized: Set<string> }
    const running = await serve(app, 0)
    const tags = ['a', 'b', 'c'].map((name) => `shutdown-${name}-${Math.random().toString(36).slice(2)}`)
    const streams = await Promise.all(
      tags.map(async (tag) => {
        const frames = readFrames(await fetch(`${running.url}/forever?tag=${tag}`))
        while ((await frames.next()).value?.data === undefined);
        return frames
      }),
    )
    const closing = running.close({ graceMs: 3000, spreadMs: 1000 })
    const tails = await Promise.all(
      streams.map(async (frames) => {
        const rest: Frame[] = []
        for await (const frame of frames) rest.push(frame)
        return rest
      }),
    )
    await closing
    for (const rest of tails) {
      const last = rest.at(-1)
      expect(last?.comments.join(' ')).toContain('shutting down')
      // The app's retryMs (2000) plus a random share of the 1000 ms spread.
      expect(last?.retry).toBeGreaterThanOrEqual(2000)
      expect(last?.retry).toBeLessThan(3000)
      expect(rest.some((frame) => frame.event === 'done' || frame.event === 'error')).toBe(false)
    }
    for (const tag of tags) expect(finalized.has(tag)).toBe(true)
  })
}
