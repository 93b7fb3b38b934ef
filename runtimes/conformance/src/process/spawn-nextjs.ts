import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { fixtureOptionsOf } from '../fixture-app'
import { toFixtureOptions, toFixtureSettings } from '../fixture-settings'
import type { Served } from '@sluice/core/adapter'
import type { ServeApp } from '../serve/running'
import { repoRoot } from './binaries'
import { nextjsVariants } from './nextjs-variants'

const folder = join(repoRoot, 'runtimes/nextjs')
const nextBin = join(folder, 'node_modules/next/dist/bin/next')
// Bounds that only turn "never" into a clear failure: a build takes 1-2 minutes here, a start 1 s.
const BUILD_MS = 300_000
const START_MS = 30_000
// No telemetry, no network: Next would otherwise report builds to its servers.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }

let built: Promise<void> | undefined
let server: { url: Promise<string>; users: number; stop: () => Promise<void> } | undefined

/**
 * Serves the fixture from a real Next.js production server (`next build` once per process,
 * then `next start`): one server for every variant, each under its own path, so `serve` answers
 * the variant's base URL; the server stops when the last variant closes.
 */
export const serveNextjs: ServeApp = async (app) => {
  const settings = JSON.stringify(toFixtureSettings(fixtureOptionsOf(app) ?? {}))
  const variant = Object.entries(nextjsVariants).find(
    ([, known]) => JSON.stringify(toFixtureSettings(toFixtureOptions(known))) === settings,
  )?.[0]
  if (variant === undefined) throw new Error(`runtimes/nextjs serves no fixture variant with ${settings}`)
  built ??= run(['build'], BUILD_MS)
  await built
  server ??= start()
  const current = server
  current.users++
  const url = `${await current.url}/${variant}`
  const close = async (): Promise<void> => {
    if (--current.users > 0) return
    if (server === current) server = undefined
    await current.stop()
  }
  return { url, port: Number(new URL(url).port), close } satisfies Served
}

function run(args: string[], timeoutMs: number): Promise<void> {
  const child = spawn(process.execPath, [nextBin, ...args], { cwd: folder, env, stdio: 'pipe' })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)))
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve, reject) => {
    child.once('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`next ${args.join(' ')} failed (${code}):\n${output}`))
    })
  })
}

// A shell runs `next start` and stops it when its stdin ends, so it never outlives the suite.
// On SIGTERM Next keeps serving open streams until they end (measured), hence the SIGKILL after 5 s.
function start(): { url: Promise<string>; users: number; stop: () => Promise<void> } {
  const watch =
    '"$@" & child=$!; cat >/dev/null; kill $child 2>/dev/null; (sleep 5; kill -9 $child 2>/dev/null) & wait $child'
  const args = [nextBin, 'start', '--port', '0', '--hostname', '127.0.0.1']
  const child = spawn('sh', ['-c', watch, 'sh', process.execPath, ...args], { cwd: folder, env })
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  return { url: listening(child), users: 0, stop: () => (child.stdin.end(), exited) }
}

function listening(child: ChildProcessWithoutNullStreams): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not start in time'), START_MS)
    const fail = (why: string): void => {
      clearTimeout(timer)
      child.stdin.end()
      reject(new Error(`next start ${why}:\n${output}`))
    }
    child.once('close', () => fail('exited'))
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000)
      const url = /Local:\s+(http:\/\/\S+)/.exec(output)?.[1]
      if (url !== undefined && output.includes('Ready')) {
        clearTimeout(timer)
        resolve(url)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
  })
}
