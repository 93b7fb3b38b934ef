import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** What the demo serves next to the API: the page, its styles, and its script bundled from TypeScript. */
export interface Assets {
  html: string
  style: string
  script: string
}

/** One asset as a runtime serves it: a GET route with a fixed body and headers. */
export interface AssetRoute {
  path: string
  body: string
  headers: Record<string, string>
}

// `no-cache`: the browser revalidates, so a restarted server's new bundle shows on the next reload.
const html = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }
const css = { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }
const script = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }

/** The routes the page and its script are served at. */
export function toAssetRoutes(assets: Assets): AssetRoute[] {
  return [
    { path: '/', body: assets.html, headers: html },
    { path: '/index.html', body: assets.html, headers: html },
    { path: '/style.css', body: assets.style, headers: css },
    { path: '/app.js', body: assets.script, headers: script },
  ]
}

const pageDir = new URL('./page/', import.meta.url)

/**
 * Reads the page and bundles its script (the generated client and its runtime included) with
 * esbuild, in memory: trying the demo needs no build step and no separate dev server.
 */
export async function buildAssets(): Promise<Assets> {
  const [html, style, bundle] = await Promise.all([
    readFile(new URL('index.html', pageDir), 'utf8'),
    readFile(new URL('style.css', pageDir), 'utf8'),
    build({
      entryPoints: [fileURLToPath(new URL('main.ts', pageDir))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      // The demo runs in the sluice repository: @sluice/client resolves to its TypeScript source.
      conditions: ['@sluice/source'],
      // Inline source maps: the browser's devtools show the TypeScript as it was written.
      sourcemap: 'inline',
      logLevel: 'silent',
    }),
  ])
  const script = bundle.outputFiles[0]?.text
  if (script === undefined) throw new Error('esbuild produced no bundle for the page')
  return { html, style, script }
}
