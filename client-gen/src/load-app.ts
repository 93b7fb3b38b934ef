import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { App } from '@sluice/core'
import { tsImport } from 'tsx/esm/api'

/**
 * Loads a user's app module (TypeScript or JavaScript, no build step) and returns its app:
 * the export named `app`, else the default export.
 */
export async function loadApp(modulePath: string): Promise<App> {
  return (await loadAppModule(modulePath)).app
}

/** Like `loadApp`, with the module's other exports (`sluice openapi` reads `openapi` from them). */
export async function loadAppModule(
  modulePath: string,
): Promise<{ app: App; exports: Record<string, unknown> }> {
  const url = pathToFileURL(resolve(process.cwd(), modulePath)).href
  const loaded = (await tsImport(url, import.meta.url)) as Record<string, unknown>
  for (const candidate of [loaded['app'], loaded['default']])
    if (isApp(candidate)) return { app: candidate, exports: loaded }
  throw new Error(`${modulePath} must export the app from createApp() as \`app\` or as its default export`)
}

function isApp(value: unknown): value is App {
  return typeof value === 'object' && value !== null && 'routes' in value && 'router' in value
}
