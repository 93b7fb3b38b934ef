import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'client-gen/bin/sluice.js')
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
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('sluice client', () => {
  let dir = ''
  beforeAll(async () => {
    // Inside the repository, so the module resolves @sluice/core and zod as a user's would.
    dir = await mkdtemp(join(root, 'client-gen/test/.tmp-cli-'))
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
    ]
    const { stdout } = await run(process.execPath, [tsc, ...flags, ...target, 'use.ts'], { cwd: dir })
    expect(stdout).toBe('')
  })

  it('exits 2 with the usage for a missing -o, and 1 for a module without an app', async () => {
    const usage = await sluice(['client', 'app.ts'], dir)
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('usage: sluice client <module> -o <file>')
    await writeFile(join(dir, 'empty.ts'), 'export const nothing = 1\n')
    const missing = await sluice(['client', 'empty.ts', '-o', 'x.ts'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('must export the app')
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
})
