// One pack and one install for every test of `npm run test:packages`: the public workspaces
// packed as `npm publish` would upload them, installed into a fresh project outside the repo.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { packWorkspaces, root, type Tarball } from './pack'
import { cleanEnv, run } from './run'

/** What the tests share (`inject('packages')`). */
export interface PackagesContext {
  /** The run's temporary folder, removed at the end. */
  dir: string
  tarballs: Tarball[]
  /** A project with every tarball installed (and the frameworks the adapters need). */
  consumer: string
  /** The run's own npm cache. */
  cache: string
  /** The registry npm is configured with, read at run time: the consumer installs from it. */
  upstream: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    packages: PackagesContext
  }
}

interface Manifest {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** Packs, installs, and provides the context; returns the teardown that removes it all. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-packages-'))
  const teardown = () => rm(dir, { recursive: true, force: true })
  try {
    const upstream = await npmRegistry(dir)
    const cache = join(dir, 'npm-cache')
    await writeFile(join(dir, 'npmrc'), `registry=${upstream}\n`)
    const env = cleanEnv({ npm_config_userconfig: join(dir, 'npmrc'), npm_config_cache: cache })
    await mkdir(join(dir, 'tarballs'))
    const tarballs = await packWorkspaces(join(dir, 'tarballs'), env)
    const consumer = join(dir, 'consumer')
    await mkdir(consumer)
    await writeFile(join(consumer, 'package.json'), await consumerManifest(tarballs))
    const install = await run('npm', ['install', '--no-audit', '--no-fund'], {
      cwd: consumer,
      env,
      timeoutMs: 300_000,
    })
    if (install.code !== 0) throw new Error(`npm install of the tarballs failed:\n${install.stderr}`)
    project.provide('packages', { dir, tarballs, consumer, cache, upstream })
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}

async function npmRegistry(cwd: string): Promise<string> {
  const result = await run('npm', ['config', 'get', 'registry'], { cwd, env: process.env, timeoutMs: 30_000 })
  const url = result.stdout.trim()
  if (result.code !== 0 || !/^https?:\/\//.test(url))
    throw new Error(`npm config get registry: ${result.stderr}`)
  return url.endsWith('/') ? url : `${url}/`
}

// Every tarball, plus what a user adds beside them: zod, TypeScript and Node's types (the
// repository's versions), the OpenTelemetry API, TanStack Query, and the frameworks and types
// the starter's runtimes name.
async function consumerManifest(tarballs: readonly Tarball[]): Promise<string> {
  const read = async (path: string) => JSON.parse(await readFile(join(root, path), 'utf8')) as Manifest
  const rootDeps = (await read('package.json')).devDependencies ?? {}
  const dependencies: Record<string, string> = {}
  for (const name of ['zod', 'typescript', '@types/node']) dependencies[name] = rootDeps[name] ?? 'latest'
  // A user who imports `@sluice/core/otel` installs its optional peer, the OpenTelemetry API.
  const corePeers = (await read('core/package.json')).peerDependencies ?? {}
  dependencies['@opentelemetry/api'] = corePeers['@opentelemetry/api'] ?? 'latest'
  // And one who imports `@sluice/client/tanstack` has TanStack Query, its optional peer.
  const clientPeers = (await read('client/package.json')).peerDependencies ?? {}
  dependencies['@tanstack/query-core'] = clientPeers['@tanstack/query-core'] ?? 'latest'
  for (const runtime of ['express', 'fastify', 'uws']) {
    const part = await read(`templates/starter/runtimes/${runtime}/runtime.json`)
    for (const [name, range] of Object.entries({ ...part.dependencies, ...part.devDependencies }))
      if (!name.startsWith('@sluice/')) dependencies[name] = range
  }
  for (const { name, file } of tarballs) dependencies[name] = `file:${file}`
  return `${JSON.stringify({ name: 'sluice-consumer', private: true, type: 'module', dependencies }, null, 2)}\n`
}
