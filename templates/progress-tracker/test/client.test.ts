import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const checkedIn = new URL('../src/client.gen.ts', import.meta.url)

describe('src/client.gen.ts', () => {
  // Through the real CLI, as a user regenerates it: `npm run golden` rewrites the file.
  it('is what `sluice client src/app.ts` writes today (regenerate with npm run golden)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-tracker-client-'))
    try {
      const out = join(dir, 'client.gen.ts')
      const args = ['cli/bin/sluice.js', 'client', 'templates/progress-tracker/src/app.ts', '-o', out]
      await promisify(execFile)(process.execPath, args, { cwd: root })
      expect(await readFile(out, 'utf8')).toBe(await readFile(checkedIn, 'utf8'))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
