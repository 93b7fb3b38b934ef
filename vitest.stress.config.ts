import { defineConfig } from 'vitest/config'
import { sourceNodeOptions, sourceResolution } from './vitest.source'

// The heavy scenarios of issue 7 (10k connections, 10k cycles), apart from `npm test`:
// `npm run test:stress`. One file at a time, so two servers never compete for the 2 cores
// and distort each other's event-loop delay.
export default defineConfig({
  ...sourceResolution,
  test: {
    env: { NODE_OPTIONS: sourceNodeOptions() },
    include: ['stress/**/*.stress.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 30_000,
  },
})
