// What the interop tests share: the fixture's documents on disk, and the tools of this folder
// (installed by `npm run test:interop` with `npm ci --prefix interop`) run as child processes.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { toOpenAPI } from '@sluice/core'
import { app, openapi } from '../runtimes/conformance/src/fixture-module'

/** This folder. */
export const interopDir = fileURLToPath(new URL('.', import.meta.url))

/** Where the tests write documents and generated code (ignored by git, lint and tsc). */
export const generatedDir = join(interopDir, '.generated')

/** The fixture's documents, by OpenAPI version. */
export type Documents = Record<'3.1' | '3.2', string>

/** Writes the fixture's 3.1 and 3.2 documents (with its info and servers) and returns their paths. */
export async function writeDocuments(): Promise<Documents> {
  await mkdir(generatedDir, { recursive: true })
  const paths = {
    '3.1': join(generatedDir, 'fixture-3.1.json'),
    '3.2': join(generatedDir, 'fixture-3.2.json'),
  }
  for (const version of ['3.1', '3.2'] as const) {
    const document = toOpenAPI(app, { ...openapi, version })
    await writeFile(paths[version], `${JSON.stringify(document, null, 2)}\n`)
  }
  return paths
}

/** The path of a file inside this folder's node_modules; throws with the install command when missing. */
export function installed(path: string): string {
  const file = join(interopDir, 'node_modules', path)
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run test:interop\` (it installs interop/ with npm ci)`)
  }
  return file
}

const exec = promisify(execFile)

/** Runs a bin of this folder's node_modules; rejects with its output when it exits non-zero. */
export async function runTool(name: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(installed(`.bin/${name}`), args, {
      cwd: generatedDir,
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
      // No telemetry, update checks or colours: the tests run offline and read the output.
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
    })
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(
      `${name} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    )
  }
}
