import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { defineFunction, WireError, withEvent } from '@sluice/core'
import { z } from 'zod'

interface Build {
  projectId: string
  startedAt: number
}

/**
 * A simulated build service and its two routes: `startBuild` (plain JSON) and `watchBuild`,
 * a generator that streams `{ status, progress }` until the build is complete.
 */
export function createBuilds(durationMs: number) {
  const builds = new Map<string, Build>()
  // Progress in steps of 10, from the time elapsed: stands in for asking a real CI system.
  const progressOf = (build: Build): number =>
    Math.min(100, Math.floor(((Date.now() - build.startedAt) / durationMs) * 10) * 10)

  const startBuild = defineFunction({
    input: z.object({ projectId: z.string().regex(/^[\w-]{1,64}$/, 'letters, digits, - and _ only') }),
    output: z.object({ buildId: z.string(), projectId: z.string() }),
    func: ({ input }) => {
      const buildId = randomUUID()
      builds.set(buildId, { projectId: input.projectId, startedAt: Date.now() })
      return { buildId, projectId: input.projectId }
    },
  })

  const watchBuild = defineFunction({
    input: z.object({ buildId: z.string() }),
    event: z.object({ status: z.enum(['building', 'complete']), progress: z.number() }),
    output: z.object({ buildId: z.string(), projectId: z.string() }),
    func: async function* ({ input, signal, lastEventId }) {
      const build = builds.get(input.buildId)
      // Thrown before the first yield, so the client gets a real 404, not a stream.
      if (build === undefined) throw new WireError('NOT_FOUND', `No build ${input.buildId}`)
      // Each event's id is its progress: a reconnecting client sends the last one it saw.
      const seen = Number.parseInt(lastEventId ?? '', 10)
      let sent = Number.isSafeInteger(seen) ? seen : -1
      for (;;) {
        const progress = progressOf(build)
        if (progress > sent) {
          sent = progress
          // `as const` keeps the status a literal: nothing gives the yielded object a type first.
          const event = { status: progress === 100 ? 'complete' : 'building', progress } as const
          yield withEvent({ id: String(progress) }, event)
        }
        if (progress === 100) return { buildId: input.buildId, projectId: build.projectId }
        await sleep(durationMs / 20, undefined, { signal }) // rejects when the client leaves
      }
    },
  })

  return { startBuild, watchBuild }
}
