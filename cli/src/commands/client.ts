import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { generateClient } from '../generate/generate-client'
import { loadApp } from '../load-app'

/** The arguments `sluice client` reads; the CLI hands every command all of them. */
export interface ClientArgs {
  target: string | undefined
  out?: string
}

const usage = 'usage: sluice client <module> -o <file>'

/**
 * `sluice client <module> -o <file>`: writes the app's typed fetch client as one TypeScript
 * module. Resolves to the exit code: 2 for a usage mistake.
 */
export async function run(args: ClientArgs): Promise<number> {
  if (args.target === undefined || args.out === undefined) {
    console.error(
      `sluice client: ${args.target === undefined ? 'a module' : '-o <file>'} is required\n${usage}`,
    )
    return 2
  }
  const app = await loadApp(args.target)
  const source = await generateClient(app)
  const file = resolve(process.cwd(), args.out)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, source)
  const count = app.routes.length
  console.log(`sluice: wrote a client for ${count} route${count === 1 ? '' : 's'} to ${args.out}`)
  return 0
}
