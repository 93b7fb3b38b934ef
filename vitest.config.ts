import { defineConfig } from 'vitest/config'
import { sourceNodeOptions, sourceResolution } from './vitest.source'

export default defineConfig({
  ...sourceResolution,
  test: {
    include: [
      'core/**/*.test.ts',
      'runtimes/**/*.test.ts',
      'client/**/*.test.ts',
      'cli/**/*.test.ts',
      'templates/**/*.test.ts',
      'redis/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    env: { NODE_OPTIONS: sourceNodeOptions() },
    // Type tests (`*.test-d.ts`) prove inference; a case that must not compile uses @ts-expect-error.
    typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
