import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer, type AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { killGroup } from './run'

/** A local registry: its URL, and `close`, which stops it. */
export interface Registry {
  url: string
  close(): Promise<void>
}

/** Options of `startRegistry`. */
export interface RegistryOptions {
  /** Its config and storage go here. */
  dir: string
  /** Where it proxies everything but `@sluice/*`: the registry npm is configured with. */
  upstream: string
  env: NodeJS.ProcessEnv
}

// `@sluice/*` is served only from the registry's own storage (what the test publishes), never
// proxied, so a package that was not packed here cannot be installed from elsewhere.
const config = (dir: string, upstream: string) => `storage: ${JSON.stringify(join(dir, 'storage'))}
uplinks:
  upstream:
    url: ${JSON.stringify(upstream)}
    timeout: 60s
packages:
  '@sluice/*':
    access: $all
    publish: $all
  '**':
    access: $all
    publish: $authenticated
    proxy: upstream
web:
  enable: false
max_body_size: 100mb
log: { type: stdout, format: pretty, level: warn }
`

/** Starts Verdaccio (the devDependency) on 127.0.0.1 and a free port; resolves once it answers. */
export async function startRegistry(options: RegistryOptions): Promise<Registry> {
  const file = join(options.dir, 'verdaccio.yaml')
  await writeFile(file, config(options.dir, options.upstream))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  const bin = join(dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')), 'bin/verdaccio')
  const child = spawn(process.execPath, [bin, '--config', file, '--listen', `127.0.0.1:${port}`], {
    cwd: options.dir,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // If this process ends first (a crash, a kill), the registry must not outlive it.
  const orphan = () => killGroup(child.pid)
  process.once('exit', orphan)
  const close = async (): Promise<void> => {
    process.off('exit', orphan)
    killGroup(child.pid, 'SIGTERM')
    const stopped = await Promise.race([exited.then(() => true), sleep(5_000, false)])
    if (!stopped) killGroup(child.pid) // did not stop within 5 s
    await exited
  }
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
    if (child.exitCode !== null) break
    const ping = await fetch(`${url}-/ping`).catch(() => undefined)
    if (ping?.ok === true) return { url, close }
  }
  await close()
  throw new Error(`Verdaccio did not answer on ${url} within 30 s:\n${log}`)
}

// A port nothing listens on at this moment (the registry takes it right after).
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
