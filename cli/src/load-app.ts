import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { App } from '@sluice/core'
import { tsImport } from 'tsx/esm/api'

// Core's NO_LISTEN_ENV: every runtime's `serve()` resolves without listening while it is `1`.
const NO_LISTEN_ENV = 'SLUICE_NO_LISTEN'

/** Writes to the real standard output, which the app module's own logging never reaches. */
export type Print = (text: string) => Promise<void>

/**
 * Loads a user's app module (TypeScript or JavaScript, no build step) and returns its app: the
 * export named `app`, else the default export. The module is read, never served: `serve()`
 * listens nowhere (`SLUICE_NO_LISTEN=1`), and what the module prints goes to stderr, so
 * `--stdout` carries only the output. `print` writes to the real stdout; `exports` are the
 * module's other exports (`sluice openapi` reads `openapi` from them).
 */
export async function loadApp(
  modulePath: string,
): Promise<{ app: App; print: Print; exports: Record<string, unknown> }> {
  const file = resolve(process.cwd(), modulePath)
  await access(file).catch(() => {
    throw new Error(`cannot find the module ${modulePath}`)
  })
  process.env[NO_LISTEN_ENV] = '1'
  const print = divertStdout()
  const loaded = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>
  for (const candidate of [loaded['app'], loaded['default']]) {
    if (isApp(candidate)) return { app: candidate, print, exports: loaded }
  }
  throw new Error(`${modulePath} must export the app from createApp() as \`app\` or as its default export`)
}

function isApp(value: unknown): value is App {
  return typeof value === 'object' && value !== null && 'routes' in value && 'router' in value
}

// From here on, anything written to stdout goes to stderr; the returned function writes to the
// real stdout and resolves once the text is handed to the OS, so the CLI may exit right after.
function divertStdout(): Print {
  const stdout = process.stdout
  const write = stdout.write.bind(stdout)
  stdout.write = process.stderr.write.bind(process.stderr)
  return (text) =>
    new Promise((done, fail) => {
      write(text, (error) => (error ? fail(error) : done()))
    })
}
