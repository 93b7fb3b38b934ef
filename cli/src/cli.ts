import { parseArgs } from 'node:util'

// `sluice <command> ...`: each command lives in its own module and is loaded on demand.
const usage = `usage:
  sluice client <module> (-o <file> | --stdout)          a typed fetch client for the app in <module>
  sluice openapi <module> (-o <file> | --stdout) [--openapi 3.1|3.2]  the app's OpenAPI document
      [--title T] [--api-version V] [--description D] [--server URL]... [--streams data|event]
  sluice init <dir> --template <node|express|fastify|uws>  a new project from the starter

client and openapi read the module without serving it: serve() listens nowhere meanwhile.`

/** What each command module exports: `run`, given the parsed arguments, resolving to the exit code. */
interface Command {
  run(args: {
    target: string | undefined
    out?: string
    stdout?: boolean
    openapi?: string
    template?: string
    title?: string
    'api-version'?: string
    description?: string
    server?: string[]
    streams?: string
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
        stdout: { type: 'boolean' },
        openapi: { type: 'string' },
        title: { type: 'string' },
        'api-version': { type: 'string' },
        description: { type: 'string' },
        server: { type: 'string', multiple: true },
        streams: { type: 'string' },
        template: { type: 'string', short: 't' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    // One line: node's message for an unknown option goes on about positionals after `--`.
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error)
    console.error(`sluice: ${message} (sluice --help lists the options)`)
    return 1
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
    console.error(`sluice ${command}: ${message.split('\n')[0] ?? ''}`)
    return 1
  }
}

// Exit as soon as the command is done, whatever the user's module left running (timers, a
// listener opened without serve()): the CLI is a one-shot, never a server.
process.exit(await main())
