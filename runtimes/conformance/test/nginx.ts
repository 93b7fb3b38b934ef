import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const INSTALL = 'apt-get install -y nginx-light (or nginx), or put nginx on PATH'

/**
 * Finds Debian's nginx, installing `nginx-light` with apt-get when it is missing and we are
 * root. Never skips: a machine without nginx fails with how to get it.
 */
export function ensureNginx(): string {
  const found = findNginx()
  if (found !== undefined) return found
  const root = process.getuid?.() === 0
  if (!root || spawnSync('apt-get', ['--version']).status !== 0) {
    throw new Error(`nginx is needed for the proxy tests and is not installed: ${INSTALL}`)
  }
  // Docker images ship without package lists; an install that cannot find nginx needs them.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const install = (): boolean =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx-light'], { env }).status === 0
  if (!install()) {
    execFileSync('apt-get', ['update'], { env, stdio: 'ignore' })
    if (!install()) execFileSync('apt-get', ['install', '-y', 'nginx'], { env, stdio: 'ignore' })
  }
  const installed = findNginx()
  if (installed === undefined) throw new Error(`apt-get could not install nginx: ${INSTALL}`)
  return installed
}

function findNginx(): string | undefined {
  for (const path of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    if (existsSync(path)) return path
  }
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' })
  const path = which.stdout.trim()
  return which.status === 0 && path !== '' ? path : undefined
}

/** One `location` of the proxy: a path prefix, its upstream, and extra directives. */
export interface ProxyLocation {
  prefix: string
  upstream: string
  /** Directives inside the location; none keeps nginx's defaults (HTTP/1.0, buffering on). */
  directives?: string[]
}

/** A running nginx: its base URL and how to stop it. */
export interface RunningNginx {
  url: string
  stop(): Promise<void>
}

/** Starts nginx in the foreground on a free loopback port, with a config in a temp folder. */
export async function startNginx(binary: string, locations: ProxyLocation[]): Promise<RunningNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-nginx-'))
  const port = await freePort()
  const blocks = locations.map(
    ({ prefix, upstream, directives = [] }) =>
      // The trailing slashes make nginx strip the prefix: /node/gated -> upstream /gated.
      `    location ${prefix}/ { proxy_pass ${upstream}/; ${directives.join(' ')} }`,
  )
  const config = [
    'daemon off;',
    'master_process off;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 128; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${dir}/body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  server {`,
    `    listen 127.0.0.1:${port};`,
    ...blocks,
    '  }',
    '}',
  ].join('\n')
  await writeFile(join(dir, 'nginx.conf'), config)
  // -e: nginx opens its default error log before reading the config; keep it in the temp dir too.
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await Promise.race([exited, sleep(2000).then(() => child.kill('SIGKILL'))])
    await rm(dir, { recursive: true, force: true })
  }
  // Bounded: nginx either listens within 5 s or the test fails with what it said.
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break
    if (await accepts(port)) return { url: `http://127.0.0.1:${port}`, stop }
    await sleep(50)
  }
  await stop()
  throw new Error(`nginx did not start: ${stderr}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
