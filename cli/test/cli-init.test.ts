import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { starters } from '../src/commands/init'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'cli/bin/sluice.js')
const starter = join(root, 'templates/starter')

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Runs the CLI (from its sources) to its end (or 60 s); resolves to its exit code and output, whatever the code. */
function sluice(args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@sluice/source', bin, ...args],
      { cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolve({ code, stdout, stderr })
      },
    )
  })
}

// Every file of a folder, relative to it, sorted.
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

let tmp = ''
let version = ''
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-init-'))
  const cli = JSON.parse(await readFile(join(root, 'cli/package.json'), 'utf8')) as { version: string }
  version = cli.version
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

// `npm run test:packages` installs a created project from a local registry and runs its own
// npm test; here, what init writes, for every runtime.
describe.each(starters)('sluice init --template %s', (runtime) => {
  const dir = () => join(tmp, `my-${runtime}-app`)

  it('writes the one starter with the runtime part composed in', async () => {
    const result = await sluice(['init', `my-${runtime}-app`, '--template', runtime], tmp)
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toContain(`created my-${runtime}-app from the starter on ${runtime}`)
    const shared = (await listFiles(starter)).filter((path) => !path.startsWith('runtimes/'))
    const expected = shared.map(
      (path) =>
        ({ _gitignore: '.gitignore', '_tsconfig.json': 'tsconfig.json', '_package.json': 'package.json' })[
          path
        ] ?? path,
    )
    expect(await listFiles(dir())).toEqual([...expected, 'src/server.ts'].sort())
    expect(await readFile(join(dir(), 'src/server.ts'), 'utf8')).toBe(
      await readFile(join(starter, 'runtimes', runtime, 'server.ts'), 'utf8'),
    )
    expect(await readFile(join(dir(), 'src/app.ts'), 'utf8')).toBe(
      await readFile(join(starter, 'src/app.ts'), 'utf8'),
    )
  })

  it('depends on @sluice/* by semver range, and on what its server needs', async () => {
    const manifest = JSON.parse(await readFile(join(dir(), 'package.json'), 'utf8')) as {
      name: string
      dependencies: Record<string, string>
      devDependencies: Record<string, string>
    }
    expect(manifest.name).toBe(`my-${runtime}-app`)
    const part = JSON.parse(await readFile(join(starter, 'runtimes', runtime, 'runtime.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(Object.keys(manifest.dependencies)).toEqual(
      expect.arrayContaining(['@sluice/core', '@sluice/client', ...Object.keys(part.dependencies)]),
    )
    expect(manifest.devDependencies).toHaveProperty('@sluice/cli')
    const all = { ...manifest.dependencies, ...manifest.devDependencies }
    for (const [name, range] of Object.entries(all)) {
      if (name.startsWith('@sluice/')) expect(range, name).toBe(`^${version}`)
      else expect(range, name).toMatch(/^(\^|~|npm:)/)
    }
  })

  it('holds no path into this repository, and its README links only to its own files', async () => {
    for (const path of await listFiles(dir())) {
      const text = await readFile(join(dir(), path), 'utf8')
      expect(text, path).not.toContain(root)
      expect(text, path).not.toMatch(/file:|\.\.\/\.\.\/|templates\/|client-gen|\{\{|<!-- server -->/)
    }
    const readme = await readFile(join(dir(), 'README.md'), 'utf8')
    expect(readme).toMatch(/^# sluice starter: \S/)
    for (const [, target] of readme.matchAll(/\]\(([^)]+)\)/g))
      expect(existsSync(join(dir(), target ?? '')), target).toBe(true)
  })
})

describe('sluice init refuses', () => {
  it('a folder that is not empty, and leaves it alone', async () => {
    const dir = join(tmp, 'taken')
    await mkdir(dir)
    await writeFile(join(dir, 'notes.txt'), 'mine\n')
    const result = await sluice(['init', dir, '--template', 'fastify'], tmp)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('is not empty')
    expect(await readdir(dir)).toEqual(['notes.txt'])
  })

  it('progress-tracker with the reason, an unknown template, and a missing --template', async () => {
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
    expect(missing.stderr).toContain('usage: sluice init <dir> --template <node|express|fastify|uws>')
    expect(existsSync(join(tmp, 'demo')) || existsSync(join(tmp, 'x'))).toBe(false)
  })
})
