import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startRegistry, type Registry } from './registry'
import { cleanEnv, run } from './run'

// `sluice init` from the installed CLI, then the project's own `npm install && npm test`, with
// @sluice/* from a local registry that holds exactly the packed tarballs.
const { dir, consumer, tarballs, cache, upstream } = inject('packages')
const work = join(dir, 'init')
const npmrc = join(work, 'npmrc')
const npm = (args: string[], cwd: string, timeoutMs: number) =>
  run('npm', args, {
    cwd,
    timeoutMs,
    env: cleanEnv({ npm_config_userconfig: npmrc, npm_config_cache: cache }),
  })

let registry: Registry | undefined
beforeAll(async () => {
  await mkdir(work)
  registry = await startRegistry({ dir: work, upstream, env: cleanEnv() })
  // Verdaccio publishes anonymously (`publish: $all` for @sluice/*), but npm wants a token to send.
  const host = registry.url.replace(/^http:/, '')
  await writeFile(npmrc, `registry=${registry.url}\n${host}:_authToken=anonymous\n`)
  for (const { file, name } of tarballs) {
    const published = await npm(['publish', file, '--tag', 'latest'], work, 60_000)
    expect(published.code, `${name}: ${published.stderr}`).toBe(0)
  }
})
afterAll(async () => {
  await registry?.close()
})

interface Lock {
  packages: Record<string, { resolved?: string; integrity?: string }>
}

/** `sluice init`, then the project's own `npm install` and `npm test`, each step bounded. */
async function createAndTest(template: string, { via }: { via: 'npx' | 'installed' }): Promise<void> {
  const project = join(work, `my-${template}-app`)
  const args = ['init', project, '--template', template]
  // The documented entry, `npx @sluice/cli init`, fetches the CLI from the registry; the
  // consumer's installed `sluice` bin is the same package.
  const env = cleanEnv()
  const init =
    via === 'npx'
      ? await npm(['exec', '--yes', '--package', '@sluice/cli', '--', 'sluice', ...args], work, 120_000)
      : await run(join(consumer, 'node_modules/.bin/sluice'), args, { cwd: work, timeoutMs: 60_000, env })
  expect(init.code, init.stderr).toBe(0)
  const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>
    devDependencies: Record<string, string>
  }
  const sluice = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([name]) =>
    name.startsWith('@sluice/'),
  )
  expect(sluice.map(([name]) => name)).toEqual(
    expect.arrayContaining(['@sluice/core', '@sluice/client', '@sluice/cli']),
  )
  for (const [name, range] of sluice) expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/)

  // The first install fills the run's private cache through the registry; the next ones reuse it.
  const install = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], project, 300_000)
  expect(install.code, install.stderr).toBe(0)
  // Every @sluice/* package came from the local registry, and is exactly the packed tarball.
  const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as Lock
  const installed = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/@sluice/'))
  expect(installed.map(([path]) => path)).toEqual(
    expect.arrayContaining(sluice.map(([name]) => `node_modules/${name}`)),
  )
  for (const [path, entry] of installed) {
    const tarball = tarballs.find(({ name }) => path === `node_modules/${name}`)
    expect(entry.resolved?.startsWith(registry?.url ?? '-'), path).toBe(true)
    expect(entry.integrity, path).toBe(tarball?.integrity)
  }

  const test = await npm(['test'], project, 240_000)
  expect(test.code, test.stdout + test.stderr).toBe(0)
  expect(test.stdout).toMatch(/Tests\s+\d+ passed/)
}

// node first, alone: it fills the cache; the other runtimes then share it, side by side.
it('npx @sluice/cli init --template node: npm install && npm test pass, @sluice/* exactly the tarballs', () =>
  createAndTest('node', { via: 'npx' }))

describe.concurrent('and on every other runtime', () => {
  it.each(['express', 'fastify', 'uws'])(
    'sluice init --template %s: npm install && npm test pass',
    (template) => createAndTest(template, { via: 'installed' }),
  )
})
