// `npm run golden`: rewrites the golden files the tests compare against, through the real CLI
// (so what is checked in is exactly what a user gets). Review the diff before committing it.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = 'cli/bin/sluice.js'
const fixture = 'runtimes/conformance/src/fixture-module.ts'
const golden = 'cli/test/golden'

// One entry per golden file: the `sluice` arguments that write it.
const outputs: string[][] = [
  ['client', fixture, '-o', `${golden}/fixture-client.ts`],
  ['openapi', fixture, '-o', `${golden}/fixture-openapi-3.1.json`, '--openapi', '3.1'],
  ['openapi', fixture, '-o', `${golden}/fixture-openapi-3.2.json`, '--openapi', '3.2'],
  ['client', 'templates/progress-tracker/src/app.ts', '-o', 'templates/progress-tracker/src/client.gen.ts'],
  ['client', 'templates/starter/src/app.ts', '-o', 'templates/starter/src/client.gen.ts'],
  ['client', 'cli/test/fixtures/docs-app/app.ts', '-o', 'cli/test/fixtures/docs-app/client.ts'],
]

// The CLI runs on the sources, as everywhere in the repo (docs/architecture.md).
const condition = '--conditions=@sluice/source'
for (const args of outputs)
  execFileSync(process.execPath, [condition, bin, ...args], { cwd: root, stdio: 'inherit' })
