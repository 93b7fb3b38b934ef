import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Validator } from '@seriousme/openapi-schema-validator'
import { toOpenAPI } from '@sluice/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { app as fixture, openapi } from '../../runtimes/conformance/src/fixture-module'

const run = promisify(execFile)
const here = fileURLToPath(new URL('.', import.meta.url))
const bin = fileURLToPath(new URL('../bin/sluice.js', import.meta.url))
const versions = ['3.1', '3.2'] as const

async function validate(doc: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  return new Validator().validate(doc as Record<string, unknown>)
}

// A plain JSON copy, so a test can break it without touching the generated document.
function copy(doc: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>
}

// The object at a path in a JSON document, to read or to change; throws when there is none.
function at(value: unknown, ...path: (string | number)[]): Record<string, unknown> {
  const found = path.reduce<unknown>(
    (node, key) => (node as Record<string, unknown> | undefined)?.[key],
    value,
  )
  if (typeof found !== 'object' || found === null) throw new Error(`nothing at ${path.join(' > ')}`)
  return found as Record<string, unknown>
}

describe.each(versions)('the fixture app as OpenAPI %s', (version) => {
  const doc = toOpenAPI(fixture, { ...openapi, version })

  it('is valid against the official OpenAPI schema, and every $ref resolves', async () => {
    const result = await validate(doc)
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined()
    expect(result.valid).toBe(true)
  })

  it('is rejected once broken: a path parameter not marked required, a dangling $ref', async () => {
    const optionalPath = copy(doc)
    at(optionalPath, 'paths', '/merge/{id}', 'post', 'parameters', 0)['required'] = false
    expect(await validate(optionalPath)).toMatchObject({ valid: false })
    const dangling = copy(doc)
    at(dangling, 'paths', '/echo', 'post', 'responses')['400'] = { $ref: '#/components/responses/Missing' }
    expect(await validate(dangling)).toMatchObject({ valid: false })
  })

  it('matches its golden file byte for byte (npm run golden rewrites it)', async () => {
    const golden = await readFile(join(here, `golden/fixture-openapi-${version}.json`), 'utf8')
    expect(`${JSON.stringify(doc, null, 2)}\n`).toBe(golden)
  })
})

it('OpenAPI 3.1 requires a response description and 3.2 does not: the validator reads the version', async () => {
  for (const version of versions) {
    const broken = copy(toOpenAPI(fixture, { version }))
    delete at(broken, 'paths', '/health', 'get', 'responses', '200')['description']
    expect(await validate(broken), version).toMatchObject({ valid: version === '3.2' })
  }
})

describe('sluice openapi (the real CLI)', () => {
  let dir = ''

  // Inside the repository, so the module resolves @sluice/core and zod from the workspace.
  beforeAll(async () => {
    dir = await mkdtemp(join(here, '.tmp-openapi-'))
    const module = [
      "import { createApp, defineFunction, wireHTTP } from '@sluice/core'",
      "import { z } from 'zod'",
      'export const app = createApp()',
      'const ticks = defineFunction({',
      '  input: z.object({ n: z.coerce.number().int() }),',
      '  event: z.object({ i: z.number() }),',
      '  func: async function* ({ input }) {',
      '    for (let i = 1; i <= input.n; i++) yield { i }',
      '  },',
      '})',
      "wireHTTP(app, { method: 'get', route: '/ticks', func: ticks })",
      "export const openapi = { info: { title: 'Ticks', version: '2.0.0' }, servers: [{ url: 'http://m' }] }",
      '',
    ]
    await writeFile(join(dir, 'app.ts'), module.join('\n'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the document as pretty JSON and says what it wrote', async () => {
    const { stdout } = await run(
      process.execPath,
      [bin, 'openapi', 'app.ts', '-o', 'out/api.json', '--openapi', '3.2'],
      {
        cwd: dir,
      },
    )
    expect(stdout).toBe('sluice: wrote OpenAPI 3.2.0 (1 operation) to out/api.json\n')
    const text = await readFile(join(dir, 'out/api.json'), 'utf8')
    const doc: unknown = JSON.parse(text)
    expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`)
    expect(at(doc, 'paths', '/ticks', 'get')['operationId']).toBe('ticks')
    const message = at(
      doc,
      'paths',
      '/ticks',
      'get',
      'responses',
      '200',
      'content',
      'text/event-stream',
      'itemSchema',
      'oneOf',
      0,
    )
    expect(at(message, 'properties', 'data', 'contentSchema')).toMatchObject({
      properties: { i: { type: 'number' } },
    })
    expect((await validate(doc)).valid).toBe(true)
  })

  it("takes the module's openapi export, with the flags over it field by field", async () => {
    const flags = [
      '--title',
      'Flag title',
      '--server',
      'http://a',
      '--server',
      'http://b',
      '--streams',
      'event',
    ]
    await run(process.execPath, [bin, 'openapi', 'app.ts', '-o', 'flags.json', ...flags], { cwd: dir })
    const doc: unknown = JSON.parse(await readFile(join(dir, 'flags.json'), 'utf8'))
    expect(at(doc, 'info')).toEqual({ title: 'Flag title', version: '2.0.0' })
    expect(at(doc, 'servers')).toEqual([{ url: 'http://a' }, { url: 'http://b' }])
    const media = at(doc, 'paths', '/ticks', 'get', 'responses', '200', 'content', 'text/event-stream')
    expect(at(media, 'schema', 'oneOf', 0, 'properties', 'data')).toMatchObject({ type: 'string' })
    await run(process.execPath, [bin, 'openapi', 'app.ts', '-o', 'module.json'], { cwd: dir })
    const plain: unknown = JSON.parse(await readFile(join(dir, 'module.json'), 'utf8'))
    expect(at(plain, 'info')).toEqual({ title: 'Ticks', version: '2.0.0' })
    expect(at(plain, 'servers')).toEqual([{ url: 'http://m' }])
    expect(
      at(
        plain,
        'paths',
        '/ticks',
        'get',
        'responses',
        '200',
        'content',
        'text/event-stream',
        'schema',
        'anyOf',
        0,
      ),
    ).toMatchObject({
      title: 'message',
      properties: { i: { type: 'number' } },
    })
  })

  it('refuses --streams other than data or event with exit code 2', async () => {
    const args = [bin, 'openapi', 'app.ts', '-o', 'bad.json', '--streams', 'item']
    const failure = await run(process.execPath, args, { cwd: dir }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    )
    expect(failure?.code).toBe(2)
    expect(failure?.stderr).toMatch(/--streams must be data or event, not "item"/)
  })

  it('refuses an unknown OpenAPI version with exit code 2 and writes nothing', async () => {
    const args = [bin, 'openapi', 'app.ts', '-o', 'bad.json', '--openapi', '3.0']
    const failure = await run(process.execPath, args, { cwd: dir }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    )
    expect(failure?.code).toBe(2)
    expect(failure?.stderr).toMatch(/--openapi must be 3\.1 or 3\.2, not "3\.0"/)
    await expect(readFile(join(dir, 'bad.json'))).rejects.toThrow(/ENOENT/)
  })
})
