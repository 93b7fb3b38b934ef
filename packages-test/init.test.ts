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

describe.each(['node', 'express', 'fastify', 'uws'])('sluice init --template %s', (template) => {
  const project = join(work, `my-${template}-app`)

  it('writes a project that depends on @sluice/* by semver range', async () => {
    const bin = join(consumer, 'node_modules/.bin/sluice')
    const init = await run(bin, ['init', project, '--template', template], {
      cwd: work,
      timeoutMs: 60_000,
      env: cleanEnv(),
    })
    expect(init.code, init.stderr).toBe(0)
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
      devDependencies: Record<string, string>
    }
    const sluice = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
      ([name]) => name.startsWith('@sluice/'),
    )
    expect(sluice.map(([name]) => name)).toEqual(
      expect.arrayContaining(['@sluice/core', '@sluice/client', '@sluice/cli']),
    )
    for (const [name, range] of sluice) expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/)
  })

  it('installs @sluice/* from the local registry: exactly the packed tarballs', async () => {
    // The first install fills the run's private cache through the registry; the next ones reuse it.
    const install = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], project, 300_000)
    expect(install.code, install.stderr).toBe(0)
    const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; integrity?: string }>
    }
    const installed = Object.entries(lock.packages).filter(([path]) =>
      path.startsWith('node_modules/@sluice/'),
    )
    expect(installed.length).toBeGreaterThan(0)
    for (const [path, entry] of installed) {
      const tarball = tarballs.find(({ name }) => path === `node_modules/${name}`)
      expect(tarball, path).toBeDefined()
      expect(entry.resolved?.startsWith(registry?.url ?? '-'), path).toBe(true)
      expect(entry.integrity, path).toBe(tarball?.integrity)
    }
  })

  it("passes the project's own npm test (tsc, then vitest on a real server)", async () => {
    const test = await npm(['test'], project, 180_000)
    expect(test.code, test.stdout + test.stderr).toBe(0)
    expect(test.stdout).toMatch(/Tests\s+\d+ passed/)
  })
})
