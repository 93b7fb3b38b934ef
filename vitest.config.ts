import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'runtimes/**/*.test.ts',
      'client-gen/**/*.test.ts',
      'templates/**/*.test.ts',
      'redis/**/*.test.ts',
    ],
    // Real Bun, Deno and workerd run apart: `npm run test:runtimes`.
    exclude: ['**/node_modules/**', '**/*.runtime.test.ts'],
    // Type tests (`*.test-d.ts`) prove inference; a case that must not compile uses @ts-expect-error.
    typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
