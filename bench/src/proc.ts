import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUN_TARGETS } from './plan'

const here = fileURLToPath(new URL('.', import.meta.url))
const pin = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset')

const started = new Set<ChildProcess>()
// A run stopped half way (Ctrl-C, a failed scenario) leaves no server or client behind.
const killAll = (): void => {
  for (const child of started) child.kill('SIGKILL')
}
process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll()
    process.exit(130)
  })
}

/** A child process with an IPC channel and request/answer calls over it. */
export class Child {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  readonly ready: Promise<void>
  readonly exited: Promise<number | null>

  private constructor(
    readonly process: ChildProcess,
    readonly label: string,
  ) {
    let onReady!: () => void
    this.ready = new Promise((resolve) => (onReady = resolve))
    process.on('message', (message: { ready?: boolean; id?: number; value?: unknown; error?: string }) => {
      if (message.ready === true) return onReady()
      const waiter = this.waiting.get(message.id ?? -1)
      if (waiter === undefined) return
      this.waiting.delete(message.id as number)
      if (message.error !== undefined) waiter.reject(new Error(`${label}: ${message.error}`))
      else waiter.resolve(message.value)
    })
    this.exited = new Promise((resolve) =>
      process.on('exit', (code) => {
        for (const waiter of this.waiting.values()) waiter.reject(new Error(`${label} exited (${code})`))
        resolve(code)
      }),
    )
  }

  /**
   * Starts a bundled `script` (bench/dist, see build.mjs) on Node, or on Bun with `bun: true`,
   * pinned to `cpu` when taskset exists. `dist` is the build to run: another build of other
   * sluice sources (`build.mjs dist-before`) lets a target run as `sluice-node@before`.
   */
  static start(
    script: string,
    args: string[],
    options: { cpu: number; label: string; dist?: string; bun?: boolean },
  ): Child {
    const file = `${here}../${options.dist ?? 'dist'}/${script}.mjs`
    const flags = (process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '')
    const run =
      options.bun === true
        ? [bunBinary(), file, ...args]
        : [process.execPath, '--expose-gc', ...flags, file, ...args]
    const command = pin ? ['taskset', '-c', String(options.cpu), ...run] : run
    const child = spawn(command[0] as string, command.slice(1), {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    started.add(child)
    child.on('exit', () => started.delete(child))
    return new Child(child, options.label)
  }

  /** Starts bench target `target` (`name` or `name@variant`) listening on `port`. */
  static server(target: string, port: number, cpu: number): Child {
    const [name = target, variant] = target.split('@')
    const bun = BUN_TARGETS.has(name)
    const dist = variant === undefined ? 'dist' : `dist-${variant}`
    return Child.start(bun ? 'bun-server' : 'server', [name, String(port)], { cpu, label: target, dist, bun })
  }

  call<T>(command: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.label}: ${String(command['cmd'])} timed out`)),
        timeoutMs,
      )
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer)
          resolve(v as T)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      this.process.send({ id, ...command })
    })
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return
    this.process.send({ id: 0, cmd: 'exit' })
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3000)
    await this.exited
    clearTimeout(timer)
  }
}

/**
 * The Bun binary of bench/node_modules: npm links the platform package's binary
 * (`@oven/bun-linux-x64/bin/bun`) and bun's install script stays off (package.json's
 * allowScripts); where a package manager ran it anyway, it moved the binary to bun/bin/bun.exe
 * over a small placeholder script.
 */
export function bunBinary(): string {
  const modules = join(here, '../node_modules')
  const scope = join(modules, '@oven')
  const found = [
    ...(existsSync(scope) ? readdirSync(scope) : []).map((entry) => join(scope, entry, 'bin/bun')),
    join(modules, 'bun/bin/bun.exe'),
  ].find((path) => existsSync(path) && statSync(path).size > 1_000_000)
  if (found === undefined) throw new Error('bun is not installed: run `npm ci --prefix bench`')
  return found
}

/** Runs wrk pinned to `cpu`: requests per second, non-2xx answers, and socket errors (timeouts under load). */
export function wrk(
  url: string,
  seconds: number,
  connections: number,
  cpu: number,
  accept: string,
): Promise<{ rps: number; errors: number; socketErrors: number }> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '-H', `Accept: ${accept}`, url]
  const command = pin ? ['taskset', '-c', String(cpu), 'wrk', ...args] : ['wrk', ...args]
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
    started.add(child)
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', () => {
      started.delete(child)
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)
      if (rps === null) return reject(new Error(`wrk gave no rate:\n${out}`))
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out)
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
      const errors = Number(non2xx?.[1] ?? 0)
      const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0
      resolve({ rps: Number(rps[1]), errors, socketErrors })
    })
  })
}
