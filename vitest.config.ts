import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { sourceNodeOptions, sourceResolution } from './vitest.source'

const starter = fileURLToPath(new URL('./templates/starter/', import.meta.url))
// The runtimes `sluice init --template` composes the starter with (templates/starter/runtimes/*).
const runtimes = ['node', 'express', 'fastify', 'uws']

// `sluice init` writes the chosen runtime's server.ts as the project's src/server.ts; here the
// starter's imports of src/server resolve to that file, so its tests run once per runtime.
const starterServer = (runtime: string) => ({
  name: 'sluice-starter-server',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    if (importer?.startsWith(starter) !== true) return null
    const target = resolve(dirname(importer), source)
    return target === join(starter, 'src/server') ? join(starter, 'runtimes', runtime, 'server.ts') : null
  },
})

export default defineConfig({
  ...sourceResolution,
  test: {
    // Real Bun, Deno and workerd run apart: `npm run test:runtimes`.
    exclude: ['**/node_modules/**', '**/*.runtime.test.ts'],
    env: { NODE_OPTIONS: sourceNodeOptions() },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sluice',
          include: [
            'core/**/*.test.ts',
            'runtimes/**/*.test.ts',
            'client/**/*.test.ts',
            'cli/**/*.test.ts',
            'templates/**/*.test.ts',
            'redis/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.runtime.test.ts', 'templates/starter/**'],
          // Type tests (`*.test-d.ts`) prove inference; a case that must not compile uses @ts-expect-error.
          typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      ...runtimes.map((runtime) => ({
        extends: true as const,
        plugins: [starterServer(runtime)],
        test: { name: `starter:${runtime}`, include: ['templates/starter/test/**/*.test.ts'] },
      })),
    ],
  },
})
