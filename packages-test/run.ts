import { spawn } from 'node:child_process'

/** What a finished command gave. */
export interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Options of `run`. */
export interface RunOptions {
  cwd: string
  /** The command is killed (its whole process group) after this long, and the result says so. */
  timeoutMs: number
  env?: NodeJS.ProcessEnv
}

/**
 * Runs a command to its end or its time bound, whatever its exit code. It gets a process group
 * of its own, so a bound also ends what it started (npm -> sh -> vitest -> workers).
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid)
    }, options.timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      const said = timedOut ? `${command} ${args.join(' ')}: timed out after ${options.timeoutMs} ms\n` : ''
      resolve({ code: code ?? 1, stdout, stderr: said + stderr })
    })
  })
}

/** Ends a process started with `detached: true` and everything it started. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

// What a child keeps from this process's environment: the system's, never the test runner's
// (VITEST*, NODE_OPTIONS with source conditions) nor npm's own (npm_config_* of `npm run`).
const kept =
  /^(PATH|HOME|USER|LANG|LC_\w+|TMPDIR|TEMP|TMP|NODE_EXTRA_CA_CERTS|SSL_CERT_\w+|(https?|no)_proxy)$/i

/** A clean environment for a child process, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => kept.test(key)))
  return { ...env, NO_COLOR: '1', ...extra }
}
