import { defineConfig } from 'vitest/config'
import { sourceNodeOptions, sourceResolution } from '../vitest.source'

// `npm run test:interop`: third-party OpenAPI tools on the fixture's documents, on the sources
// like every other test. One file at a time: each one runs code generators or Chromium, and two
// at once on a shared machine only slow each other.
export default defineConfig({
  ...sourceResolution,
  test: {
    env: { NODE_OPTIONS: sourceNodeOptions() },
    include: ['interop/**/*.interop.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
})
