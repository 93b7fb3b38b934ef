import { readFile } from 'node:fs/promises'
import { createFixtureApp } from '@sluice/conformance/fixture'
import { describe, expect, it } from 'vitest'
import { generateClient } from '../src/generate/generate-client'

const golden = new URL('./golden/fixture-client.ts', import.meta.url)

describe('the fixture client', () => {
  // The same app as runtimes/conformance/src/fixture-module.ts, which `npm run golden` generates from.
  it('is what the generator writes (regenerate with npm run golden, then review the diff)', async () => {
    expect(await generateClient(createFixtureApp())).toBe(await readFile(golden, 'utf8'))
  })
})
