import { generateClient } from '../generate/generate-client'
import { loadApp } from '../load-app'
import { writeOutput } from '../write-output'

/** The arguments `sluice client` reads; the CLI hands every command all of them. */
export interface ClientArgs {
  target: string | undefined
  out?: string
  stdout?: boolean
}

const usage = 'usage: sluice client <module> (-o <file> | --stdout)'

/**
 * `sluice client <module> -o <file>`: writes the app's typed fetch client as one TypeScript
 * module (`--stdout`: to stdout). Resolves to the exit code: 2 for a usage mistake.
 */
export async function run(args: ClientArgs): Promise<number> {
  if (args.target === undefined || (args.out === undefined && args.stdout !== true)) {
    const missing = args.target === undefined ? 'a module' : '-o <file> or --stdout'
    console.error(`sluice client: ${missing} is required\n${usage}`)
    return 2
  }
  const { app, print } = await loadApp(args.target)
  const source = await generateClient(app)
  const to = await writeOutput(source, args, print)
  const count = app.routes.length
  // With --stdout the output is the client alone; the summary goes to stderr.
  const summary = `sluice: wrote a client for ${count} route${count === 1 ? '' : 's'} to ${to}\n`
  if (to === 'stdout') process.stderr.write(summary)
  else await print(summary)
  return 0
}
