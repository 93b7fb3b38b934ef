// Code generators on the fixture's 3.1 document: openapi-typescript and hey-api type each
// stream event's payload fields (a probe compiles against their output, and fails to where it
// reads a field as the wrong type), and hey-api's SSE client delivers exactly what it types,
// against the live fixture. Redocly's client generator accepts both documents.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixtureApp } from '../runtimes/conformance/src/fixture-app'
import type { Served } from '@sluice/core/adapter'
import { runtimes } from '../runtimes/conformance/src/runtimes'
import { generatedDir, runTool, writeDocuments, type Documents } from './tools'

const out = join(generatedDir, 'generators')
let documents: Documents

beforeAll(async () => {
  await rm(out, { recursive: true, force: true })
  await mkdir(out, { recursive: true })
  documents = await writeDocuments()
  await runTool('openapi-typescript', [documents['3.1'], '-o', join(out, 'openapi-typescript.gen.ts')])
  await runTool('openapi-ts', [
    '-i',
    documents['3.1'],
    '-o',
    join(out, 'hey-api'),
    '-c',
    '@hey-api/client-fetch',
    '--no-log-file',
  ])
}, 240_000)

// Each probe reads the payload fields of `GET /count` as their types; a `@ts-expect-error` on a
// wrong type fails the compile if the type were `any`, `unknown` or `string` (today's failures).
const probes = {
  'openapi-typescript.probe.ts': `
import type { paths } from './openapi-typescript.gen'
type CountEvent = paths['/count']['get']['responses'][200]['content']['text/event-stream']
export function read(event: CountEvent): number | string {
  if ('i' in event) {
    const i: number = event.i
    // @ts-expect-error i is a number
    const wrong: string = event.i
    return i + wrong.length
  }
  if ('total' in event) return event.total
  return event.code
}
`,
  'hey-api.probe.ts': `
import { getCount } from './hey-api/sdk.gen'
export async function read(): Promise<number> {
  let sum = 0
  const { stream } = await getCount({ query: { to: 3 } })
  for await (const data of stream) {
    if ('i' in data) {
      const i: number = data.i
      // @ts-expect-error i is a number
      const wrong: string = data.i
      sum += i + wrong.length
    } else if ('total' in data) sum += data.total
    else sum += data.message.length
  }
  return sum
}
`,
}

async function compile(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(out, name), text)
  const config = {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
    files: Object.keys(files),
  }
  await writeFile(join(out, 'tsconfig.json'), JSON.stringify(config))
  await runTool('tsc', ['-p', join(out, 'tsconfig.json')])
}

describe('generated code types the stream payloads (fixture, OpenAPI 3.1)', () => {
  it('openapi-typescript: a probe reads /count event fields as their types', async () => {
    await compile({ 'openapi-typescript.probe.ts': probes['openapi-typescript.probe.ts'] })
  })

  it('hey-api: a probe reads what the SSE client yields for /count as its type', async () => {
    await compile({ 'hey-api.probe.ts': probes['hey-api.probe.ts'] })
  })

  it('the probes fail to compile on a wrong field type (so they are not reading any)', async () => {
    const broken = probes['hey-api.probe.ts'].replace('const i: number = data.i', 'const i: boolean = data.i')
    await expect(compile({ 'hey-api.probe.ts': broken })).rejects.toThrow(/not assignable to type 'boolean'/)
  })
})

describe("hey-api's SSE client against the live fixture (node runtime, 127.0.0.1)", () => {
  let running: Served

  beforeAll(async () => {
    running = await runtimes.node(createFixtureApp(), 0)
  })
  afterAll(async () => {
    await running.close()
  })

  it('delivers the data of every event, message and done, as the generated type says', async () => {
    const client = (await import(pathToFileURL(join(out, 'hey-api/client.gen.ts')).href)) as {
      client: { setConfig(config: { baseUrl: string }): void }
    }
    const sdk = (await import(pathToFileURL(join(out, 'hey-api/sdk.gen.ts')).href)) as {
      getCount(options: {
        query: { to: number }
        sseMaxRetryAttempts: number
      }): Promise<{ stream: AsyncGenerator }>
    }
    client.client.setConfig({ baseUrl: running.url })
    const { stream } = await sdk.getCount({ query: { to: 2 }, sseMaxRetryAttempts: 1 })
    const delivered: unknown[] = []
    for await (const data of stream) delivered.push(data)
    expect(delivered).toEqual([{ i: 1 }, { i: 2 }, { total: 2 }])
  })
})

describe("Redocly's client generator", () => {
  it.each(['3.1', '3.2'] as const)('accepts the fixture document %s', async (version) => {
    const file = join(out, `redocly-${version}.ts`)
    const { stdout, stderr } = await runTool('redocly', ['generate-client', documents[version], '-o', file])
    expect(stdout + stderr).toMatch(/Client successfully generated/)
    // It reads /count as a stream of JSON events (the 3.2 struct check no longer refuses the document).
    expect(await readFile(file, 'utf8')).toMatch(/id: "getCount".*responseKind: "sse", sseDataKind: "json"/)
  })
})
