import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { App } from '@sluice/core'
import { tsImport } from 'tsx/esm/api'

/**
 * Loads a user's app module (TypeScript or JavaScript, no build step) and returns its app:
 * the export named `app`, else the default export.
 */
export async function loadApp(modulePath: string): Promise<App> {
  const url = pathToFileURL(resolve(process.cwd(), modulePath)).href
  const loaded = (await tsImport(url, import.meta.url)) as Record<string, unknown>
  for (const candidate of [loaded['app'], loaded['default']]) if (isApp(candidate)) return candidate
  throw new Error(`${modulePath} must export the app from createApp() as \`app\` or as its default export`)
}

function isApp(value: unknown): value is App {
  return typeof value === 'object' && value !== null && 'routes' in value && 'router' in value
}
