import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))

const modules = join(repoRoot, 'runtimes/binaries/node_modules')

// Each runtime's npm package installs its binary as an optional dependency per platform; npm
// keeps only the one for this machine. Its path inside that package:
const binaries = {
  bun: ['@oven', 'bun-', 'bin/bun'],
  deno: ['@deno', '', 'deno'],
  workerd: ['@cloudflare', 'workerd-', 'bin/workerd'],
  esbuild: ['@esbuild', '', 'bin/esbuild'],
} as const

/**
 * The platform binary of a runtime installed in runtimes/binaries. It runs as npm installed it:
 * the packages' install scripts only copy it elsewhere (or wrap it in a Node launcher, which
 * would stand between the suite and the process it must be able to stop), so they stay off.
 */
export function binary(name: keyof typeof binaries): string {
  const [scope, prefix, file] = binaries[name]
  const folder = join(modules, scope)
  const found = existsSync(folder)
    ? readdirSync(folder)
        .filter((entry) => entry.startsWith(prefix))
        .map((entry) => join(folder, entry, file))
        .find((path) => existsSync(path))
    : undefined
  if (found === undefined) {
    throw new Error(
      `${name} is not installed: run \`npm run test:runtimes\` (or \`npm ci --prefix runtimes/binaries\`)`,
    )
  }
  return found
}
