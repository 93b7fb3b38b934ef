import { toOpenAPI, type OpenAPIOptions, type OpenAPIVersion } from '@sluice/core'
import { loadApp } from '../load-app'
import { writeOutput } from '../write-output'

/** The arguments `sluice openapi` reads; the CLI hands every command all of them. */
export interface OpenAPIArgs {
  target: string | undefined
  out?: string
  stdout?: boolean
  openapi?: string
  title?: string
  'api-version'?: string
  description?: string
  server?: string[]
  streams?: string
}

const usage =
  'usage: sluice openapi <module> (-o <file> | --stdout) [--openapi 3.1|3.2] [--title T] ' +
  '[--api-version V] [--description D] [--server URL]... [--streams data|event]'
const versions: readonly string[] = ['3.1', '3.2'] satisfies OpenAPIVersion[]
const styles: readonly string[] = ['data', 'event'] satisfies OpenAPIOptions['streams'][]

/**
 * `sluice openapi <module> -o <file> [--openapi 3.1|3.2] ...`: writes the app's OpenAPI document
 * as pretty JSON (`--stdout`: to stdout), with the options the module exports as `openapi` and
 * the flags over them. Resolves to the exit code: 2 for a usage mistake.
 */
export async function run(args: OpenAPIArgs): Promise<number> {
  const mistake = findMistake(args)
  if (mistake !== undefined) {
    console.error(`sluice openapi: ${mistake}\n${usage}`)
    return 2
  }
  const { app, print, exports } = await loadApp(args.target ?? '')
  const exported = exports['openapi']
  const base = typeof exported === 'object' && exported !== null ? (exported as OpenAPIOptions) : {}
  const document = toOpenAPI(app, withFlags(base, args))
  const to = await writeOutput(`${JSON.stringify(document, null, 2)}\n`, args, print)
  const items = Object.values<object>(document.paths ?? {})
  const operations = items.reduce((n, item) => n + Object.keys(item).length, 0)
  const plural = operations === 1 ? '' : 's'
  const summary = `sluice: wrote OpenAPI ${document.openapi} (${operations} operation${plural}) to ${to}\n`
  if (to === 'stdout') process.stderr.write(summary)
  else await print(summary)
  return 0
}

function findMistake(args: OpenAPIArgs): string | undefined {
  const version = args.openapi ?? '3.1'
  if (!versions.includes(version)) return `--openapi must be 3.1 or 3.2, not "${version}"`
  if (args.streams !== undefined && !styles.includes(args.streams))
    return `--streams must be data or event, not "${args.streams}"`
  if (args.target === undefined) return 'a module is required'
  if (args.out === undefined && args.stdout !== true) return '-o <file> or --stdout is required'
  return undefined
}

// Flags win over the module's `openapi` export, field by field inside `info`.
function withFlags(base: OpenAPIOptions, args: OpenAPIArgs): OpenAPIOptions {
  const info = {
    ...(base.info ?? { title: 'sluice app', version: '0.0.0' }),
    ...(args.title !== undefined && { title: args.title }),
    ...(args['api-version'] !== undefined && { version: args['api-version'] }),
    ...(args.description !== undefined && { description: args.description }),
  }
  return {
    ...base,
    version: (args.openapi ?? '3.1') as OpenAPIVersion,
    info,
    ...(args.server !== undefined && { servers: args.server.map((url) => ({ url })) }),
    ...(args.streams !== undefined && { streams: args.streams as OpenAPIOptions['streams'] }),
  }
}
