import type { ViteUserConfig } from 'vitest/config'

/** The export condition under which every workspace package resolves to its TypeScript sources. */
export const sourceCondition = '@sluice/source'

/**
 * Tests run on the sources, never on dist/: Vite resolves `@sluice/*` through the
 * `@sluice/source` condition (listed first, then Vite's server defaults but `module`: with it,
 * dependencies Node loads itself, such as @opentelemetry/api, resolve to bundler-only ESM
 * builds whose extensionless imports Node cannot load), and every process
 * a test spawns (the CLI, tsx servers) inherits the same condition through NODE_OPTIONS.
 */
export const sourceResolution = {
  resolve: { conditions: [sourceCondition, 'node', 'development|production'] },
  ssr: { resolve: { conditions: [sourceCondition, 'node', 'development|production'] } },
} satisfies ViteUserConfig

/** NODE_OPTIONS for processes the tests spawn: the caller's, plus the source condition. */
export function sourceNodeOptions(existing = process.env['NODE_OPTIONS'] ?? ''): string {
  const flag = `--conditions=${sourceCondition}`
  return existing.includes(flag) ? existing : `${existing} ${flag}`.trim()
}
