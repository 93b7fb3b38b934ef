import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, expect, inject, it } from 'vitest'
import { cleanEnv, run } from './run'

const { consumer, tarballs } = inject('packages')
const dir = join(consumer, 'typed')

// Every subpath every package exports, so each declaration file is checked (skipLibCheck: false).
async function entries(): Promise<string[]> {
  const specifiers: string[] = []
  for (const { name } of tarballs) {
    const manifest = JSON.parse(
      await readFile(join(consumer, 'node_modules', name, 'package.json'), 'utf8'),
    ) as {
      exports?: Record<string, unknown>
    }
    for (const subpath of Object.keys(manifest.exports ?? {}))
      if (subpath !== './package.json' && !subpath.includes('*')) specifiers.push(join(name, subpath))
  }
  return specifiers
}

beforeAll(async () => {
  await cp(fileURLToPath(new URL('fixtures/typed', import.meta.url)), dir, { recursive: true })
  const lines = (await entries()).map((specifier, i) => `export * as entry${i} from '${specifier}'`)
  await writeFile(join(dir, 'src/entries.ts'), `${lines.join('\n')}\n`)
  // The CLI loads the TypeScript app (its own loader) and writes the client the consumer imports.
  const bin = join(consumer, 'node_modules/.bin/sluice')
  const generated = await run(bin, ['client', 'src/app.ts', '-o', 'src/client.gen.ts'], {
    cwd: dir,
    timeoutMs: 60_000,
    env: cleanEnv(),
  })
  expect(generated.code, generated.stderr).toBe(0)
})

const tsc = (config: string) =>
  run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', config], {
    cwd: dir,
    timeoutMs: 120_000,
  })

it('checks an entry of every package that exports one', async () => {
  expect(await entries()).toEqual(
    expect.arrayContaining([
      '@sluice/core',
      '@sluice/core/adapter',
      '@sluice/client',
      '@sluice/client/tanstack',
    ]),
  )
})

it.each(['tsconfig.nodenext.json', 'tsconfig.bundler.json'])(
  'typechecks with %s: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck false',
  async (config) => {
    const result = await tsc(config)
    expect(result.stdout + result.stderr).toBe('')
    expect(result.code).toBe(0)
  },
)
