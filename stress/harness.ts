import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { rpcClient } from './rpc'

export type Call = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>

export interface Child {
  call: Call
  /** The server's port (0 for the client). */
  port: number
  stop(): Promise<void>
}

/** What the server reports about itself, heap measured after a forced GC. */
export interface Stats {
  heapUsed: number
  rss: number
  resources: Record<string, number>
  /** Live timers, unref'd ones included (valid until the server is told to `untrack`). */
  timers: number
  streams: number
  subscribers: number
  finalized: number
}

async function start(
  script: string,
  args: string[],
  execArgv: string[],
  env: NodeJS.ProcessEnv,
): Promise<Child> {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    execArgv: [...execArgv, '--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${script} exited before it was ready (${String(code)})`)
    }),
  ])) as [{ port?: number }]
  return {
    call: rpcClient(child),
    port: ready.port ?? 0,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
  }
}

/** Starts the stress server on a runtime, in its own process with `--expose-gc`. */
export function startServer(runtime: 'node' | 'uws', env: NodeJS.ProcessEnv = {}): Promise<Child> {
  return start('./server.ts', [runtime], ['--expose-gc'], env)
}

/** Starts the raw-socket load client in its own process. */
export function startClient(): Promise<Child> {
  return start('./client.ts', [], [], {})
}

const MB = 1024 * 1024
export const mb = (bytes: number): string => `${(bytes / MB).toFixed(2)} MB`
export const ms = (value: number): string => `${value.toFixed(1)} ms`

/** Prints measured figures as one table per test file, so a run's numbers are easy to copy. */
export function printTable(title: string, rows: [string, string, string][]): void {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0), 8))
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  const out = [
    `\n${title}`,
    line(['figure', 'measured', 'limit']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ]
  process.stdout.write(`${out.join('\n')}\n`)
}
