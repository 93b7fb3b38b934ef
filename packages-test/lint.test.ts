import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { describe, expect, inject, it } from 'vitest'
import { cleanEnv, run } from './run'

const { dir, consumer, tarballs } = inject('packages')
const attw = join(
  dirname(createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json')),
  'dist/index.js',
)

describe.each(tarballs.map((tarball) => [tarball.name, tarball] as const))('%s', (_name, tarball) => {
  it('publint reports no error on the tarball', async () => {
    const bytes = await readFile(tarball.file)
    const tarballBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const { messages, pkg } = await publint({ pack: { tarball: tarballBuffer }, level: 'suggestion' })
    // Warnings and suggestions are printed, so a run shows them; only errors fail.
    const lines = messages.map(
      (message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
    )
    expect(lines.filter((line) => line.startsWith('error'))).toEqual([])
    if (lines.length > 0) console.log(`publint ${tarball.name}:\n${lines.join('\n')}`)
  })

  it('arethetypeswrong (profile esm-only) reports no problem', async (context) => {
    const manifest = JSON.parse(
      await readFile(join(consumer, 'node_modules', tarball.name, 'package.json'), 'utf8'),
    ) as {
      exports?: unknown
      main?: unknown
      types?: unknown
      bin?: unknown
    }
    // A command-line package (@sluice/cli) exports nothing to import, so it has no types to be wrong.
    if (manifest.exports === undefined && manifest.main === undefined && manifest.types === undefined) {
      expect(manifest.bin).toBeDefined()
      context.skip('bin only: no entry point to import')
    }
    const args = [
      attw,
      tarball.file,
      '--profile',
      'esm-only',
      '--no-definitely-typed',
      '--format',
      'ascii',
      '--no-color',
    ]
    const result = await run(process.execPath, args, { cwd: dir, timeoutMs: 60_000, env: cleanEnv() })
    expect(result.code, result.stdout + result.stderr).toBe(0)
  })
})
