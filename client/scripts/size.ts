// `npm run size`: how much @sluice/client adds to a browser bundle, minified and gzipped, as a
// bundler would ship it (esbuild --bundle --minify, then gzip -9). Reported in BENCHMARKS.md;
// no test asserts it.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const result = await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
})
const code = result.outputFiles[0]?.contents ?? new Uint8Array()
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`
console.log(
  `@sluice/client: ${kib(code.length)} minified, ${kib(gzipSync(code, { level: 9 }).length)} min+gzip`,
)
