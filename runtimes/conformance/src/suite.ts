import { afterAll, beforeAll, describe, it } from 'vitest'
import { createFixtureApp, type FixtureOptions } from './fixture-app'
import type { Served } from '@sluice/core/adapter'
import type { ServeApp } from './serve/running'
import { LEAKY_STREAMS, type FixtureServer, type SuiteContext } from './suite-context'
import { jsonCases } from './cases/json-cases'
import { streamCases } from './cases/stream-cases'
import { lifecycleCases } from './cases/lifecycle-cases'
import { frameworkCases } from './cases/framework-cases'
import { fuzzCases } from './cases/fuzz-cases'
import { shutdownCases } from './cases/shutdown-cases'
import { corsFixture, proxyCases } from './cases/proxy-cases'
import { framingCases } from './cases/framing-cases'
import { connectionCases } from './cases/connection-cases'
import { leakCases } from './cases/leak-cases'
import { kindsCases } from './cases/kinds-cases'

export { expectUnbuffered, type GatedOptions } from './cases/proxy-cases'
export type { SuiteContext } from './suite-context'

/** How a runtime joins the suite: its name, how to serve an app, and what it cannot do. */
export interface ConformanceOptions {
  runtime: string
  serve: ServeApp
  /** Case name -> why this runtime cannot pass it. Shown in the test name; never silent. */
  cannot?: Record<string, string>
}

const variants = {
  main: {},
  heartbeat: { heartbeatMs: 100 },
  short: { maxDurationMs: 150 },
  slow: { slowConsumerMs: 300 },
  cors: { cors: corsFixture },
  leaky: { maxStreams: LEAKY_STREAMS, authenticateMs: 50 },
} satisfies Record<FixtureServer, FixtureOptions>

/** Registers the one conformance suite for a runtime; its test file is about ten lines. */
export function runConformance(options: ConformanceOptions): void {
  describe(`conformance: ${options.runtime}`, () => {
    const running = new Map<string, Served>()
    beforeAll(async () => {
      for (const [name, settings] of Object.entries(variants)) {
        running.set(name, await options.serve(createFixtureApp(settings), 0))
      }
    })
    afterAll(async () => {
      await Promise.all([...running.values()].map((server) => server.close()))
    })
    const context: SuiteContext = {
      url: (server = 'main') => {
        const found = running.get(server)
        if (found === undefined) throw new Error(`fixture server "${server}" is not running`)
        return found.url
      },
      test: (name, body) => {
        const reason = options.cannot?.[name]
        if (reason === undefined) it(name, body)
        else it.skip(`${name} [${options.runtime} cannot: ${reason}]`, body)
      },
    }
    jsonCases(context)
    streamCases(context)
    kindsCases(context)
    lifecycleCases(context)
    frameworkCases(context)
    fuzzCases(context)
    shutdownCases(options.serve, context.test)
    proxyCases(context)
    framingCases(context)
    connectionCases(context)
    leakCases(context)
  })
}
