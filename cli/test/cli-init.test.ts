import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyTemplate, starters } from '../src/commands/init'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'cli/bin/sluice.js')

// The project's own npm and vitest must not think they run inside this test run's workers,
// and print plain text to be matched. Without NODE_OPTIONS' source condition, the project (and
// the CLI that made it) use the built packages, as a user's would.
const env = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'FORCE_COLOR' && key !== 'NODE_OPTIONS',
    ),
  ),
  NO_COLOR: '1',
}

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to its end (or `timeoutMs`); resolves to its exit code and output, whatever the code. */
function exec(file: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr: error?.killed === true ? `timed out\n${stderr}` : stderr })
    })
  })
}

// The CLI itself runs from its sources (init finds the templates in this repository).
const sluice = (args: string[], cwd: string) =>
  exec(process.execPath, ['--conditions=@sluice/source', bin, ...args], cwd)
const npm = (args: string[], cwd: string, timeoutMs: number) => exec('npm', args, cwd, timeoutMs)

let tmp = ''
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-init-'))
  // The created project links `file:` into this repository, so it needs dist/ (npm run build).
  const build = await npm(['run', 'build'], root, 240_000)
  expect(build.code, build.stdout + build.stderr).toBe(0)
}, 300_000)
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

describe('sluice init', () => {
  it('creates an express project whose npm install, npm test and typecheck pass (end to end)', async () => {
    const init = await sluice(['init', 'shop', '--template', 'express'], tmp)
    expect(init).toMatchObject({ code: 0, stderr: '' })
    expect(init.stdout).toContain('created shop from the express template')
    const dir = join(tmp, 'shop')
    // The npm cache holds every package; each step is bounded so a hang fails instead of stalling.
    const install = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], dir, 180_000)
    expect(install.code, install.stderr).toBe(0)
    const test = await npm(['test'], dir, 120_000)
    expect(test.code, test.stdout + test.stderr).toBe(0)
    expect(test.stdout).toMatch(/Tests\s+\d+ passed/)
    const typecheck = await npm(['run', 'typecheck'], dir, 120_000)
    expect(typecheck.code, typecheck.stdout).toBe(0)
  }, 420_000)

  it.each(starters.filter((name) => name !== 'express'))(
    'copies the %s template with @sluice/* pointed at this repository (copy and package.json only)',
    async (template) => {
      const result = await sluice(['init', `app-${template}`, '-t', template], tmp)
      expect(result.code, result.stderr).toBe(0)
      const dir = join(tmp, `app-${template}`)
      for (const file of [
        'src/app.ts',
        'src/client.gen.ts',
        'src/server.ts',
        'test',
        'tsconfig.json',
        'README.md',
      ])
        expect(existsSync(join(dir, file)), file).toBe(true)
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name: string
        dependencies: Record<string, string>
      }
      expect(manifest.name).toBe(`app-${template}`)
      const sluiceDeps = Object.entries(manifest.dependencies).filter(([name]) => name.startsWith('@sluice/'))
      expect(sluiceDeps.map(([name]) => name)).toContain(`@sluice/${template}`)
      for (const [name, version] of sluiceDeps) {
        expect(version).toMatch(/^file:\//)
        const linked = JSON.parse(await readFile(join(version.slice(5), 'package.json'), 'utf8')) as {
          name: string
        }
        expect(linked.name).toBe(name)
      }
    },
  )

  it('copies a template without its node_modules', async () => {
    const source = join(tmp, 'template-with-deps')
    await mkdir(join(source, 'node_modules/dep'), { recursive: true })
    await mkdir(join(source, 'src'))
    await writeFile(join(source, 'src/app.ts'), 'export {}\n')
    await copyTemplate(source, join(tmp, 'copied'))
    expect(await readdir(join(tmp, 'copied'))).toEqual(['src'])
  })

  it('refuses a folder that is not empty, and leaves it alone', async () => {
    const dir = join(tmp, 'taken')
    await mkdir(dir)
    await writeFile(join(dir, 'notes.txt'), 'mine\n')
    const result = await sluice(['init', dir, '--template', 'fastify'], tmp)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('is not empty')
    expect(await readdir(dir)).toEqual(['notes.txt'])
  })

  it('refuses progress-tracker with the reason, an unknown template, and a missing --template', async () => {
    const demo = await sluice(['init', 'demo', '--template', 'progress-tracker'], tmp)
    expect(demo.code).toBe(2)
    expect(demo.stderr).toContain("the progress-tracker template is the repository's demo, not a starter")
    const unknown = await sluice(['init', 'x', '--template', 'koa'], tmp)
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no template "koa"') as unknown,
    })
    const missing = await sluice(['init', 'x'], tmp)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('usage: sluice init <dir> --template <express|fastify|uws>')
    expect(existsSync(join(tmp, 'demo')) || existsSync(join(tmp, 'x'))).toBe(false)
  })
})
