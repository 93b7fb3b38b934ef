import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'cli/bin/sluice.js')
const tsc = join(root, 'node_modules/typescript/bin/tsc')

const userModule = `import { createApp, defineFunction, wireHTTP } from '@sluice/core'
import { z } from 'zod'

export const app = createApp()
const hello = defineFunction({
  input: z.object({ name: z.string() }),
  output: z.object({ greeting: z.string() }),
  func: ({ input }) => ({ greeting: 'hi ' + input.name }),
})
wireHTTP(app, { method: 'get', route: '/hello', func: hello })
`

// Uses the generated client as an app would; a wrong type here makes tsc fail.
const userCode = `import { createClient } from './client'

const client = createClient({ baseUrl: 'http://127.0.0.1:1' })
export const greeting: Promise<string> = client.hello({ name: 'a' }).then((answer) => answer.greeting)
`

/** Runs the CLI; resolves to its exit code and output, whatever the code. */
async function sluice(args: string[], cwd: string) {
  try {
    // Bounded: a CLI that never exits fails the test instead of stalling it.
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, timeout: 30_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number | null; killed?: boolean; stdout: string; stderr: string }
    const stderr = failed.killed === true ? `timed out\n${failed.stderr}` : failed.stderr
    return { code: failed.code, stdout: failed.stdout, stderr }
  }
}

describe('sluice client', () => {
  let dir = ''
  beforeAll(async () => {
    // Inside the repository, so the module resolves @sluice/core and zod as a user's would.
    dir = await mkdtemp(join(root, 'cli/test/.tmp-cli-'))
    await writeFile(join(dir, 'app.ts'), userModule)
    await writeFile(join(dir, 'use.ts'), userCode)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes a typed client for a module and prints one line', async () => {
    const result = await sluice(['client', 'app.ts', '-o', 'client.ts'], dir)
    expect(result).toMatchObject({ code: 0, stdout: 'sluice: wrote a client for 1 route to client.ts\n' })
    const source = await readFile(join(dir, 'client.ts'), 'utf8')
    expect(source).toContain('export interface HelloInput {\n  name: string\n}')
    expect(source).toContain("hello: caller.json('GET', '/hello')")
  })

  it('writes a client that compiles under strict with the code that uses it', async () => {
    await sluice(['client', 'app.ts', '-o', 'client.ts'], dir)
    const flags = ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--skipLibCheck']
    const target = [
      '--target',
      'es2023',
      '--module',
      'esnext',
      '--moduleResolution',
      'bundler',
      '--types',
      'node',
      // The repo's packages resolve to their sources, as everywhere in this repo's tests.
      '--customConditions',
      '@sluice/source',
    ]
    const { stdout } = await run(process.execPath, [tsc, ...flags, ...target, 'use.ts'], { cwd: dir })
    expect(stdout).toBe('')
  })

  it('exits 2 with the usage for a missing -o, and 1 for a module without an app', async () => {
    const usage = await sluice(['client', 'app.ts'], dir)
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('usage: sluice client <module> (-o <file> | --stdout)')
    await writeFile(join(dir, 'empty.ts'), 'export const nothing = 1\n')
    const missing = await sluice(['client', 'empty.ts', '-o', 'x.ts'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('must export the app')
    expect(existsSync(join(dir, 'x.ts'))).toBe(false)
  })

  it('exits 1 with one line on stderr for an unknown option, a missing module and a module that throws', async () => {
    await writeFile(join(dir, 'broken.ts'), "throw new Error('no database configured')\n")
    const cases = [
      {
        args: ['client', 'app.ts', '-o', 'out-flag.ts', '--watch'],
        says: "sluice: Unknown option '--watch'",
      },
      { args: ['client', 'nowhere.ts', '-o', 'out-missing.ts'], says: 'cannot find the module nowhere.ts' },
      { args: ['openapi', 'broken.ts', '-o', 'out-broken.json'], says: 'no database configured' },
    ]
    for (const { args, says } of cases) {
      const result = await sluice(args, dir)
      expect(result, args.join(' ')).toMatchObject({ code: 1, stdout: '' })
      expect(result.stderr.trimEnd().split('\n'), args.join(' ')).toEqual([expect.stringContaining(says)])
      expect(existsSync(join(dir, args[3] ?? '')), `${args[3] ?? ''} was written`).toBe(false)
    }
    // Nothing half-written either: no temporary file is left behind.
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('reports a wiring mistake of the module once, with what to write instead', async () => {
    const broken = userModule.replace("route: '/hello'", "route: '/hello/{name}'")
    await writeFile(join(dir, 'broken.ts'), broken)
    const result = await sluice(['client', 'broken.ts', '-o', 'y.ts'], dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'sluice client: route "/hello/{name}" uses OpenAPI\'s {param} syntax; write "/hello/:name"\n',
    )
  })
  it('exits once written, whatever the module leaves running (a timer here)', async () => {
    await writeFile(join(dir, 'ticking.ts'), `${userModule}setInterval(() => undefined, 1000)\n`)
    const result = await sluice(['client', 'ticking.ts', '-o', 'ticking-client.ts'], dir)
    expect(result, result.stderr).toMatchObject({ code: 0 })
  }, 60_000)

  it('writes only the output to stdout with --stdout (what the module prints goes to stderr)', async () => {
    await writeFile(join(dir, 'chatty.ts'), `${userModule}console.log('connecting to the database')\n`)
    const client = await sluice(['client', 'chatty.ts', '--stdout'], dir)
    expect(client.code, client.stderr).toBe(0)
    expect(client.stdout).toMatch(/^\/\/ Generated by `sluice client`/)
    expect(client.stdout).not.toContain('connecting')
    expect(client.stderr).toContain('connecting to the database')
    const openapi = await sluice(['openapi', 'chatty.ts', '--stdout'], dir)
    expect(openapi.code, openapi.stderr).toBe(0)
    expect(JSON.parse(openapi.stdout)).toMatchObject({ openapi: '3.1.1', paths: { '/hello': {} } })
  })
})

describe('sluice client on a module that serves when imported', () => {
  let dir = ''
  let held: Server | undefined
  let port = 0
  beforeAll(async () => {
    dir = await mkdtemp(join(root, 'cli/test/.tmp-serve-'))
    // The dev server: it holds the port the module serves on.
    held = createServer()
    await new Promise<void>((resolve) => held?.listen(0, '127.0.0.1', resolve))
    const address = held.address()
    port = typeof address === 'object' && address !== null ? address.port : 0
  })
  afterAll(async () => {
    await new Promise((resolve) => held?.close(resolve))
    await rm(dir, { recursive: true, force: true })
  })

  // The README's shape: one module that wires the app and serves it at import.
  it.each(['node', 'express', 'fastify', 'uws'])(
    'writes the client and exits 0 while the port is taken, without listening (%s)',
    async (runtime) => {
      const module = `${userModule}import { serve } from '@sluice/${runtime}'
const served = await serve(app, { port: ${port} })
console.log('listening on', served.url)
`
      await writeFile(join(dir, `${runtime}-app.ts`), module)
      const result = await sluice(['client', `${runtime}-app.ts`, '-o', `${runtime}-client.ts`], dir)
      expect(result, result.stderr).toMatchObject({ code: 0 })
      expect(result.stdout).toBe(`sluice: wrote a client for 1 route to ${runtime}-client.ts\n`)
      expect(result.stderr).toContain(`listening on http://127.0.0.1:${port}`)
      expect(await readFile(join(dir, `${runtime}-client.ts`), 'utf8')).toContain(
        "hello: caller.json('GET', '/hello')",
      )
    },
  )
})
