import { createApp, defineFunction, wireHTTP, withEvent } from '@sluice/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { generateClient } from '../src/generate/generate-client'

const Line = z.object({ line: z.string() })

describe('generateClient: several event kinds', () => {
  it('types each kind, names the union, and passes the kinds to the runtime, quoted as needed', async () => {
    const app = createApp()
    const func = defineFunction({
      events: { 'build.step': Line, "it's": Line, 日本: Line },
      func: async function* () {
        yield withEvent({ event: 'build.step' }, { line: 'x' })
      },
    })
    wireHTTP(app, { method: 'get', route: '/run', func })
    const source = await generateClient(app)
    expect(source).toContain('export interface RunBuildStepData {')
    expect(source).toContain('export interface RunItSData {')
    // A name with no ASCII letter or digit gets a numbered type name.
    expect(source).toContain('export interface RunKind3Data {')
    expect(source).toContain(
      "export type RunEvent =\n  | KindEvent<'build.step', RunBuildStepData>\n  | KindEvent<'it\\'s', RunItSData>\n  | KindEvent<'日本', RunKind3Data>\n",
    )
    expect(source).toContain("run: caller.events('GET', '/run', ['build.step', 'it\\'s', '日本'])")
    expect(source).toContain('run: EventsMethod<RunInput, RunEvent, RunOutput>')
  })

  it('breaks a long union one member a line, as Prettier does', async () => {
    const app = createApp()
    const kinds = Object.fromEntries(['alpha', 'beta', 'gamma', 'delta'].map((name) => [name, Line]))
    wireHTTP(app, {
      method: 'get',
      route: '/long',
      func: defineFunction({ events: kinds, func: async function* () {} }),
    })
    const source = await generateClient(app)
    expect(source).toContain(
      "export type LongEvent =\n  | KindEvent<'alpha', LongAlphaData>\n  | KindEvent<'beta'",
    )
  })

  it('reports two kinds whose type names collide', async () => {
    const app = createApp()
    const func = defineFunction({ events: { 'a-b': Line, a_b: Line }, func: async function* () {} })
    wireHTTP(app, { method: 'get', route: '/x', func })
    await expect(generateClient(app)).rejects.toThrow('two declarations are named XABData')
  })
})
