import { fileURLToPath } from 'node:url'
import { defineConfig, type UserConfig } from 'tsdown'

// Types are built as a user's compiler resolves them: the built `@sluice/*` .d.ts, no source condition.
const tsconfig = fileURLToPath(new URL('./tsconfig.build.json', import.meta.url))

/**
 * The one build every public package shares: ESM JavaScript and bundled `.d.ts` in dist/, for
 * Node >= 20.19, with self-contained source maps (sources inlined) and no declaration maps,
 * since the TypeScript sources do not ship. Dependencies stay imports (tsdown externalises
 * dependencies and peer dependencies), so `@sluice/*` packages never inline each other.
 */
export function definePackageBuild(entry: Record<string, string>, options: UserConfig = {}): UserConfig {
  return defineConfig({
    entry,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    outDir: 'dist',
    fixedExtension: false,
    sourcemap: true,
    clean: true,
    tsconfig,
    dts: { sourcemap: false },
    // The .d.ts pass is slow by nature (it runs the TypeScript compiler); no need to say so each build.
    checks: { pluginTimings: false },
    ...options,
  })
}
