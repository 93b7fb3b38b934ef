import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const project = fileURLToPath(new URL('../', import.meta.url))

// The `sluice` bin npm linked: in this project's node_modules, or a workspace root's above it.
function findBin(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules/.bin/sluice')
    if (existsSync(bin)) return bin
    if (dirname(dir) === dir) throw new Error('the sluice CLI is not installed: run npm install')
  }
}

it('src/client.gen.ts is what `npm run client` writes for src/app.ts (if not, run it)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-client-'))
  try {
    const out = join(dir, 'client.gen.ts')
    const args = [findBin(project), 'client', 'src/app.ts', '-o', out]
    await promisify(execFile)(process.execPath, args, { cwd: project })
    const checkedIn = await readFile(join(project, 'src/client.gen.ts'), 'utf8')
    expect(checkedIn).toBe(await readFile(out, 'utf8'))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}, 30_000)
