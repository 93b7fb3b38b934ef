import { parseArgs } from 'node:util'

// `sluice <command> ...`: each command lives in its own module and is loaded on demand.
const usage = `usage:
  sluice client <module> -o <file>                   a typed fetch client for the app in <module>
  sluice openapi <module> -o <file> [--openapi 3.1|3.2]  the app's OpenAPI document`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', short: 'o' },
    openapi: { type: 'string', default: '3.1' },
    help: { type: 'boolean', short: 'h' },
  },
})

const [command, target] = positionals
if (values.help === true || command === undefined) {
  console.log(usage)
  process.exit(command === undefined && values.help !== true ? 2 : 0)
}
console.error(`sluice: unknown command "${command}" (target: ${target ?? 'none'})\n${usage}`)
process.exit(2)
