import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdir, rmdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A redis-server of the test's own, on a free loopback port. */
export interface RedisServer {
  url: string
  port: number
  stop(): Promise<void>
}

const HOW_TO_INSTALL =
  'The @sluice/redis tests run a real redis-server (7 or later), and none is on the PATH. Install it: ' +
  '`sudo apt-get install redis-server` (Debian, Ubuntu), `brew install redis` (macOS), ' +
  'or point SLUICE_REDIS_SERVER at the binary.'

/** Installing may take a while on a fresh machine; a test's hook waits at least this long. */
export const INSTALL_TIMEOUT_MS = 240_000

/**
 * Starts `redis-server` on a free 127.0.0.1 port with persistence off, and resolves once it
 * answers. A missing binary is installed from Debian's packages when this runs as root with
 * apt-get; otherwise this throws, saying how to install it. It never skips.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = await findOrInstall()
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const ready = await whenReady(child)
    if (ready === true) return { url: `redis://127.0.0.1:${port}`, port, stop: () => stop(child) }
    // Another process took the port between the probe and the bind: try another one.
    if (attempt >= 3) throw new Error(`redis-server did not start: ${ready}`)
  }
}

async function findOrInstall(): Promise<string> {
  const configured = process.env['SLUICE_REDIS_SERVER']
  if (configured !== undefined && configured !== '') return configured
  const found = await which('redis-server')
  if (found !== undefined) return found
  if (process.getuid?.() !== 0 || (await which('apt-get')) === undefined) throw new Error(HOW_TO_INSTALL)
  await installOnce()
  const installed = await which('redis-server')
  if (installed === undefined) throw new Error(`apt-get did not provide redis-server. ${HOW_TO_INSTALL}`)
  return installed
}

// Test files run in parallel workers: a lock directory makes one of them install, the rest wait.
async function installOnce(): Promise<void> {
  const lock = join(tmpdir(), 'sluice-redis-install.lock')
  const deadline = Date.now() + INSTALL_TIMEOUT_MS
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch {
      if ((await which('redis-server')) !== undefined) return
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for another redis-server install (${lock})`)
      await sleep(500)
    }
  }
  try {
    const apt = (args: string[]) =>
      run('apt-get', args, {
        timeout: INSTALL_TIMEOUT_MS / 2,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      })
    // A fresh machine may have no package lists yet: update only when the install cannot find it.
    await apt(['install', '-y', '--no-install-recommends', 'redis-server']).catch(async () => {
      await apt(['update'])
      await apt(['install', '-y', '--no-install-recommends', 'redis-server'])
    })
  } catch (error) {
    throw new Error(`installing redis-server with apt-get failed. ${HOW_TO_INSTALL}`, { cause: error })
  } finally {
    await rmdir(lock).catch(() => undefined)
  }
}

async function which(command: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${command}`])
    return stdout.trim() || undefined
  } catch {
    return undefined
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

// Resolves true once redis logs that it accepts connections, else the reason it did not.
function whenReady(child: ChildProcess): Promise<true | string> {
  return new Promise((resolve) => {
    let log = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve(`no "Ready to accept connections" within 10 s:\n${log}`)
    }, 10_000)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve(true)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(`exited with ${code}:\n${log}`)
    })
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))])
}
