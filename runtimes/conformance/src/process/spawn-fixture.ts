import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import type { App, CloseOptions } from '@sluice/core'
import { fixtureOptionsOf } from '../fixture-app'
import { toFixtureFlags } from '../fixture-flags'
import { toFixtureSettings, type FixtureSettings } from '../fixture-settings'
import type { Running, ServeApp } from '../runtimes'
import { binary, repoRoot } from './binaries'
import { bundleWorker, FIXTURE_WORKER, writeWorkerdConfig } from './workerd-config'

/** A runtime the fixture runs on in a process of its own. */
export type ProcessRuntime = 'bun' | 'deno' | 'workerd'

// Bounds that only turn "never" into a clear failure; a start takes well under a second here.
const START_MS = 20_000
const EXIT_MS = 10_000

// Every fixture process still running, killed should this process exit without closing them.
const alive = new Set<ChildProcessWithoutNullStreams>()
process.once('exit', () => alive.forEach((child) => child.kill('SIGKILL')))

/**
 * Serves the fixture on Bun, Deno or workerd, in a process started with the app's fixture
 * options as flags (the `app` only describes the fixture; the process makes its own). `close`
 * ends it: Bun and Deno end their streams gracefully and report which generators ran their
 * `finally`, which are added to this app's record so the suite can read them as in-process.
 */
export function spawnFixture(runtime: ProcessRuntime): ServeApp {
  return async (app, port) => {
    const settings = toFixtureSettings(fixtureOptionsOf(app) ?? {})
    const fixture =
      runtime === 'workerd'
        ? await startWorkerd(FIXTURE_WORKER, settings, port)
        : await startScript(runtime, settings, port)
    return { url: fixture.url, close: (options) => fixture.close(app, options) }
  }
}

/**
 * Serves any Worker module (a TypeScript entry, bundled by esbuild) on workerd, for a test of
 * workerd's own behaviour; its `env.FIXTURE` is `{}`. `close` stops it.
 */
export async function spawnWorker(entry: string): Promise<Running> {
  const fixture = await startWorkerd(entry, {}, 0)
  return { url: fixture.url, close: () => fixture.close() }
}

function command(runtime: 'bun' | 'deno', flags: string[]): [string, string[]] {
  const entry = join(repoRoot, `runtimes/conformance/src/process/${runtime}-entry.ts`)
  if (runtime === 'bun') return [binary('bun'), [entry, ...flags]]
  // Deno wants file extensions on imports; sluice's sources leave them out (tsc's Bundler mode).
  const permissions = ['--allow-net=127.0.0.1', '--allow-read', '--allow-env', '--allow-sys', '--no-prompt']
  return [
    binary('deno'),
    ['run', '--sloppy-imports', '--node-modules-dir=manual', ...permissions, entry, ...flags],
  ]
}

async function startScript(
  runtime: 'bun' | 'deno',
  settings: FixtureSettings,
  port: number,
): Promise<Fixture> {
  const [file, args] = command(runtime, ['--port', String(port), ...toFixtureFlags(settings)])
  const fixture = new Fixture(runtime, spawn(file, args, { cwd: repoRoot, stdio: 'pipe' }))
  const url = await fixture.line(/^listening on (\S+)$/)
  fixture.url = url
  return fixture
}

// workerd has no stdin of its own to watch: a shell runs it and kills it when stdin ends, so
// it dies with the suite. It prints no `listening` line; the socket answering is the sign.
async function startWorkerd(entry: string, settings: FixtureSettings, port: number): Promise<Fixture> {
  const folder = await bundleWorker(entry)
  const bound = port === 0 ? await freePort() : port
  const config = await writeWorkerdConfig(folder, bound, settings)
  const watch = '"$@" & child=$!; cat >/dev/null; kill $child 2>/dev/null; wait $child'
  const child = spawn('sh', ['-c', watch, 'sh', binary('workerd'), 'serve', config], {
    cwd: folder,
    stdio: 'pipe',
  })
  const fixture = new Fixture('workerd', child)
  fixture.url = `http://127.0.0.1:${bound}`
  await fixture.until(() => accepts(bound))
  return fixture
}

/** One fixture process: its output lines, its stderr (for errors), and its end. */
class Fixture {
  url = ''
  private readonly lines: string[] = []
  private wake: (() => void) | undefined
  private stderr = ''
  private ended = false
  private readonly exited: Promise<void>

  constructor(
    private readonly runtime: ProcessRuntime,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    alive.add(child)
    // 'close', not 'exit': it comes after the last output line was read.
    this.exited = new Promise((resolve) => child.once('close', () => resolve()))
    void this.exited.then(() => {
      this.ended = true
      alive.delete(child)
      this.wake?.()
    })
    createInterface({ input: child.stdout }).on('line', (line) => {
      this.lines.push(line)
      this.wake?.()
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000)
    })
  }

  /** The first capture of the first output line matching `pattern`. */
  async line(pattern: RegExp): Promise<string> {
    let found: string | undefined
    await this.until(() => {
      found = this.lines.map((line) => pattern.exec(line)?.[1]).find((match) => match !== undefined)
      return Promise.resolve(found !== undefined)
    })
    return found as string
  }

  /** Waits until `check` holds, failing with the process's stderr if it exits or takes too long. */
  async until(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + START_MS
    while (!(await check())) {
      if (this.ended || Date.now() > deadline) {
        this.child.kill('SIGKILL')
        throw new Error(`the ${this.runtime} fixture did not get there:\n${this.stderr}`)
      }
      await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), sleep(50)])
    }
  }

  /** Asks for a graceful close (workerd: ends it), records the reported `finally`s, waits for the exit. */
  async close(app?: App, options: CloseOptions = {}): Promise<void> {
    if (this.runtime === 'workerd' || app === undefined) this.child.stdin.end()
    else {
      this.child.stdin.write(`close ${JSON.stringify(options)}\n`)
      const reported = JSON.parse(await this.line(/^finalized (.*)$/)) as string[]
      const { finalized } = app.options.services as { finalized: Set<string> }
      for (const tag of reported) finalized.add(tag)
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_MS)
    await this.exited
    clearTimeout(timer)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
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
