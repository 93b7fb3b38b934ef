import { spawn } from 'node:child_process'
import { cp, readFile, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { root } from './pack'
import { cleanEnv, killGroup, run } from './run'

const { consumer, tarballs } = inject('packages')
const dir = join(consumer, 'plain')
const node = (args: string[], timeoutMs = 30_000) => run(process.execPath, args, { cwd: dir, timeoutMs })

// `node server.mjs` in the consumer project, as a user would start it.
let url = ''
let server: ReturnType<typeof spawn> | undefined
let exited: Promise<number | null> = Promise.resolve(null)
beforeAll(async () => {
  await cp(fileURLToPath(new URL('fixtures/plain', import.meta.url)), dir, { recursive: true })
  const child = spawn(process.execPath, ['server.mjs'], { cwd: dir, env: cleanEnv(), detached: true })
  server = child
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
  let output = ''
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" within 20 s:\n${output}`)), 20_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    void exited.then((code) => reject(new Error(`server.mjs exited (${code}):\n${output}`)))
  })
})
afterAll(() => killGroup(server?.pid))

it('installs every package from its tarball, with no link into the repository', async () => {
  for (const { name } of tarballs) {
    const installed = await realpath(join(consumer, 'node_modules', name))
    expect(installed.startsWith(root), name).toBe(false)
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { name: string }
    expect(manifest.name).toBe(name)
  }
})

it('serves a JSON route, a stream and a progressive route from a plain .mjs app on node:http', async () => {
  const hello = await fetch(`${url}/hello`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ada' }),
  })
  expect(await hello.json()).toEqual({ greeting: 'hello ada' })
  const invalid = await fetch(`${url}/hello`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  expect(invalid.status).toBe(400)
  expect(await invalid.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR' } })

  const stream = await fetch(`${url}/count?to=2`)
  expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
  const text = await stream.text()
  expect(text).toContain('id: 1\ndata: {"i":1}\n\n')
  expect(text).toContain('id: 2\ndata: {"i":2}\n\n')
  expect(text).toContain('event: done\ndata: {"total":2}\n\n')

  expect(await (await fetch(`${url}/status`)).json()).toEqual({ state: 'initial' })
  const progressive = await fetch(`${url}/status`, { headers: { accept: 'text/event-stream' } })
  const events = await progressive.text()
  expect(events).toContain('data: {"state":"initial"}\n\n')
  expect(events).toContain('data: {"state":"done"}\n\n')
  expect(events).toContain('event: done\n')
})

it('generates a client with the installed CLI that plain JavaScript uses to read the stream, also through TanStack Query', async () => {
  const bin = join(consumer, 'node_modules/.bin/sluice')
  const generated = await run(bin, ['client', 'app.mjs', '-o', 'client.gen.ts'], {
    cwd: dir,
    timeoutMs: 60_000,
    env: cleanEnv(),
  })
  expect(generated.code, generated.stderr).toBe(0)
  // The client is TypeScript; the user's own compiler turns it into JavaScript.
  const tsc = join(consumer, 'node_modules/typescript/bin/tsc')
  // Declarations are checked by typescript.test.ts; here only the emit matters.
  const options = ['--module', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--outDir', 'out']
  const compiled = await node([tsc, 'client.gen.ts', ...options], 120_000)
  expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0)
  const read = await node(['reader.mjs', url])
  expect(read.code, read.stderr).toBe(0)
  expect(JSON.parse(read.stdout)).toEqual({
    events: [{ i: 1 }, { i: 2 }, { i: 3 }],
    result: { total: 3 },
    lastEventId: '3',
    hello: { greeting: 'hello ada' },
    states: ['initial', 'done'],
    tanstack: { done: true, events: [{ i: 1 }, { i: 2 }], result: { total: 2 } },
  })
})

it('closes gracefully on SIGTERM and exits 0', async () => {
  killGroup(server?.pid, 'SIGTERM')
  const code = await Promise.race([
    exited,
    new Promise((resolve) => setTimeout(resolve, 10_000, 'still running')),
  ])
  expect(code).toBe(0)
})
