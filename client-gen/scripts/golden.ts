// `npm run golden`: rewrites the golden files the tests compare against, through the real CLI
// (so what is checked in is exactly what a user gets). Review the diff before committing it.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = 'client-gen/bin/sluice.js'
const fixture = 'runtimes/conformance/src/fixture-module.ts'
const golden = 'client-gen/test/golden'

// One entry per golden file: the `sluice` arguments that write it.
const outputs: string[][] = [
  ['client', fixture, '-o', `${golden}/fixture-client.ts`],
  ['openapi', fixture, '-o', `${golden}/fixture-openapi-3.1.json`, '--openapi', '3.1'],
  ['openapi', fixture, '-o', `${golden}/fixture-openapi-3.2.json`, '--openapi', '3.2'],
  ['client', 'templates/progress-tracker/src/app.ts', '-o', 'templates/progress-tracker/src/client.gen.ts'],
  ['client', 'templates/starter/src/app.ts', '-o', 'templates/starter/src/client.gen.ts'],
  ['client', 'client-gen/test/fixtures/docs-app/app.ts', '-o', 'client-gen/test/fixtures/docs-app/client.ts'],
]

for (const args of outputs) execFileSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' })
