import { defineConfig } from 'vitest/config'
import { sourceNodeOptions, sourceResolution } from './vitest.source'

// The conformance suite on real Bun, Deno, workerd and a Next.js server, each fixture in a
// process of its own, and the node runtime over HTTP/2 (undici, Chromium): `npm run
// test:runtimes` installs runtimes/binaries and runtimes/nextjs, then runs this. One file at a time, so
// the runtimes never compete for the 2 cores.
export default defineConfig({
  ...sourceResolution,
  test: {
    env: { NODE_OPTIONS: sourceNodeOptions() },
    include: ['runtimes/**/*.runtime.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
