import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Print } from './load-app'

/** Where a command's output goes: `-o <file>`, or `--stdout`. */
export interface OutputArgs {
  out?: string
  stdout?: boolean
}

/**
 * Writes a command's whole output at once: to stdout with `--stdout`, else to a temporary file
 * renamed over `-o <file>`, so a failure never leaves a partial file. Resolves to where it went.
 */
export async function writeOutput(text: string, args: OutputArgs, print: Print): Promise<string> {
  if (args.stdout === true || args.out === undefined) {
    await print(text)
    return 'stdout'
  }
  const file = resolve(process.cwd(), args.out)
  await mkdir(dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  try {
    await writeFile(temporary, text)
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  return args.out
}
