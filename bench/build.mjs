// Bundles the bench's server and client into plain JS, sluice's TypeScript sources included,
// as an app would ship: no TypeScript loader at run time, and none of the helpers a loader
// adds (tsx keeps function names with a wrapper on every closure).
//   node build.mjs [outdir] [sluice-root]
// `sluice-root` builds against another checkout's sources (a git worktree of an earlier
// commit), so `run.ts --targets sluice-node@before,sluice-node` compares two builds.
import { resolve } from 'node:path'
import { build } from 'esbuild'

const [outdir = 'dist', root] = process.argv.slice(2)
const external = [
  'express',
  'fastify',
  'uWebSockets.js',
  '@fastify/sse',
  'better-sse',
  '@orpc/*',
  'hono',
  'hono/*',
  '@hono/node-server',
]
const sluice = (path) => resolve(root, path)
const alias =
  root === undefined
    ? {}
    : {
        '@sluice/core/adapter': sluice('core/src/adapter/index.ts'),
        '@sluice/core': sluice('core/src/index.ts'),
        '@sluice/node': sluice('runtimes/node/src/index.ts'),
        '@sluice/express': sluice('runtimes/express/src/index.ts'),
        '@sluice/fastify': sluice('runtimes/fastify/src/index.ts'),
        '@sluice/uws': sluice('runtimes/uws/src/index.ts'),
        '@sluice/fetch': sluice('runtimes/fetch/src/index.ts'),
      }
await build({
  // bun-server runs on Bun (the sluice-bun and raw-bun targets); the rest on Node.
  entryPoints: { server: 'src/server.ts', 'bun-server': 'src/bun-server.ts', client: 'src/client.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  alias,
  // Without an alias, @sluice/* resolve to their TypeScript sources (docs/architecture.md).
  conditions: ['@sluice/source'],
  absWorkingDir: import.meta.dirname,
  logLevel: 'warning',
  // Bundled CommonJS dependencies (ajv) call require.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
})
