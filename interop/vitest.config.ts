import { defineConfig } from 'vitest/config'
import root from '../vitest.config'

// `npm run test:interop`: third-party OpenAPI tools on the fixture's documents. The root config
// (its resolve conditions) with this folder's tests only, one file at a time: each one runs
// code generators or Chromium, and two at once on a shared machine only slow each other.
export default defineConfig({
  ...root,
  test: {
    ...root.test,
    include: ['interop/**/*.interop.test.ts'],
    typecheck: { enabled: false },
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
})
