import { toOpenAPI, type OpenAPIVersion } from '@sluice/core'
import { loadApp } from '../load-app'
import { writeOutput } from '../write-output'

/** The arguments `sluice openapi` reads; the CLI hands every command all of them. */
export interface OpenAPIArgs {
  target: string | undefined
  out?: string
  stdout?: boolean
  openapi?: string
}

const usage = 'usage: sluice openapi <module> (-o <file> | --stdout) [--openapi 3.1|3.2]'
const versions: readonly string[] = ['3.1', '3.2'] satisfies OpenAPIVersion[]

/**
 * `sluice openapi <module> -o <file> [--openapi 3.1|3.2]`: writes the app's OpenAPI document as
 * pretty JSON (`--stdout`: to stdout). Resolves to the exit code: 2 for a usage mistake.
 */
export async function run(args: OpenAPIArgs): Promise<number> {
  const version = args.openapi ?? '3.1'
  if (!versions.includes(version)) {
    console.error(`sluice openapi: --openapi must be 3.1 or 3.2, not "${version}"\n${usage}`)
    return 2
  }
  if (args.target === undefined || (args.out === undefined && args.stdout !== true)) {
    const missing = args.target === undefined ? 'a module' : '-o <file> or --stdout'
    console.error(`sluice openapi: ${missing} is required\n${usage}`)
    return 2
  }
  const { app, print } = await loadApp(args.target)
  const document = toOpenAPI(app, { version: version as OpenAPIVersion })
  const to = await writeOutput(`${JSON.stringify(document, null, 2)}\n`, args, print)
  const items = Object.values<object>(document.paths ?? {})
  const operations = items.reduce((n, item) => n + Object.keys(item).length, 0)
  const plural = operations === 1 ? '' : 's'
  const summary = `sluice: wrote OpenAPI ${document.openapi} (${operations} operation${plural}) to ${to}\n`
  if (to === 'stdout') process.stderr.write(summary)
  else await print(summary)
  return 0
}
