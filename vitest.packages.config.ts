import { defineConfig } from 'vitest/config'

// `npm run test:packages`: what users get, from the packed tarballs (packages-test/).
export default defineConfig({
  test: {
    include: ['packages-test/**/*.test.ts'],
    globalSetup: ['packages-test/global-setup.ts'],
    // Each step inside bounds itself; these are the outer bounds of a test and of the setup.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    maxWorkers: 2,
  },
})
