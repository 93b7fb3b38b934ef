import { parseArgs } from 'node:util'

// `sluice <command> ...`: each command lives in its own module and is loaded on demand.
const usage = `usage:
  sluice client <module> -o <file>                   a typed fetch client for the app in <module>
  sluice openapi <module> -o <file> [--openapi 3.1|3.2]  the app's OpenAPI document
  sluice init <dir> --template <express|fastify|uws>     a new project from a starter`

/** What each command module exports: `run`, given the parsed arguments, resolving to the exit code. */
interface Command {
  run(args: {
    target: string | undefined
    out?: string
    openapi?: string
    template?: string
  }): Promise<number>
}

// The dispatch table: one line (one import) per command module.
const commands: Record<string, () => Promise<Command>> = {
  client: () => import('./commands/client'),
  openapi: () => import('./commands/openapi'),
  init: () => import('./commands/init'),
}

async function main(): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        openapi: { type: 'string' },
        template: { type: 'string', short: 't' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    console.error(`sluice: ${error instanceof Error ? error.message : String(error)}\n${usage}`)
    return 2
  }
  const { positionals, values } = parsed
  const [command, target] = positionals
  if (values.help === true || command === undefined) {
    console.log(usage)
    return values.help === true ? 0 : 2
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined
  if (load === undefined) {
    console.error(`sluice: unknown command "${command}"\n${usage}`)
    return 2
  }
  try {
    return await (await load()).run({ target, ...values })
  } catch (error) {
    // The user's module failed to load or the app cannot be described: say what, not where.
    // Core's own messages start with `sluice: `; the command's name replaces it, never doubles it.
    const message = (error instanceof Error ? error.message : String(error)).replace(/^sluice: /, '')
    console.error(`sluice ${command}: ${message}`)
    return 1
  }
}

process.exitCode = await main()
