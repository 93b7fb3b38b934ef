import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { toOpenAPI, type OpenAPIVersion } from '@sluice/core'
import { loadApp } from '../load-app'

/** The arguments `sluice openapi` reads; the CLI hands every command all of them. */
export interface OpenAPIArgs {
  target: string | undefined
  out?: string
  openapi?: string
}

const usage = 'usage: sluice openapi <module> -o <file> [--openapi 3.1|3.2]'
const versions: readonly string[] = ['3.1', '3.2'] satisfies OpenAPIVersion[]

/**
 * `sluice openapi <module> -o <file> [--openapi 3.1|3.2]`: writes the app's OpenAPI document as
 * pretty JSON. Resolves to the exit code: 2 for a usage mistake.
 */
export async function run(args: OpenAPIArgs): Promise<number> {
  const version = args.openapi ?? '3.1'
  if (!versions.includes(version)) {
    console.error(`sluice openapi: --openapi must be 3.1 or 3.2, not "${version}"\n${usage}`)
    return 2
  }
  if (args.target === undefined || args.out === undefined) {
    console.error(
      `sluice openapi: ${args.target === undefined ? 'a module' : '-o <file>'} is required\n${usage}`,
    )
    return 2
  }
  const app = await loadApp(args.target)
  const document = toOpenAPI(app, { version: version as OpenAPIVersion })
  const file = resolve(process.cwd(), args.out)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`)
  const items = Object.values<object>(document.paths ?? {})
  const operations = items.reduce((n, item) => n + Object.keys(item).length, 0)
  const plural = operations === 1 ? '' : 's'
  console.log(`sluice: wrote OpenAPI ${document.openapi} (${operations} operation${plural}) to ${args.out}`)
  return 0
}
