import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { describe, expect, inject, it } from 'vitest'
import { cleanEnv, run } from './run'

const { dir, tarballs } = inject('packages')
const attw = join(
  dirname(createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json')),
  'dist/index.js',
)

describe.each(tarballs.map((tarball) => [tarball.name, tarball] as const))('%s', (_name, tarball) => {
  it('publint reports no error on the tarball', async () => {
    const bytes = await readFile(tarball.file)
    const tarballBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const { messages, pkg } = await publint({ pack: { tarball: tarballBuffer }, level: 'warning' })
    // Warnings are printed with the errors, so a run shows them; only errors fail.
    const lines = messages.map(
      (message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
    )
    expect(lines.filter((line) => line.startsWith('error'))).toEqual([])
    if (lines.length > 0) console.log(`publint ${tarball.name}:\n${lines.join('\n')}`)
  })

  it('arethetypeswrong (profile esm-only) reports no problem', async () => {
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
