// Chromium for the browser tests and the screenshot: Debian's package, installed when it is
// missing and we can (root with apt-get). Never a skip: a machine without it fails, saying why.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Where Chromium is looked for: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** The flags every launch uses: no sandbox (root in CI), and nothing that phones home or pops up. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** How `ensureChromium` finds and installs Chromium; the defaults are this machine's. */
export interface EnsureChromiumOptions {
  path?: string
  /** Whether installing is possible: root with apt-get, by default. */
  canInstall?: boolean
  /** Installs Chromium; `apt-get update && apt-get install -y chromium` by default. */
  install?: () => Promise<void>
}

const installTimeoutMs = 10 * 60_000

/** Resolves to Chromium's path, installing it first when it is missing and `canInstall`; else rejects with how to install it. */
export async function ensureChromium(options: EnsureChromiumOptions = {}): Promise<string> {
  const path = options.path ?? chromiumPath
  if (existsSync(path)) return path
  const canInstall = options.canInstall ?? (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'))
  if (!canInstall) {
    throw new Error(
      `Chromium is not installed at ${path}, and this process cannot install it (that needs root and apt-get). ` +
        'Install it with `sudo apt-get update && sudo apt-get install -y chromium` (Debian), or set ' +
        'CHROMIUM_PATH to a Chromium or Chrome binary; the browser tests need it and do not skip.',
    )
  }
  console.log(`Chromium is missing at ${path}: installing Debian's package (up to 10 minutes)...`)
  await (options.install ?? aptInstallChromium)()
  if (!existsSync(path)) throw new Error(`Chromium was installed, but ${path} is still missing`)
  return path
}

/** A browser context on a fresh user-data dir; `close` ends Chromium and removes the dir. */
export interface LaunchedChromium {
  context: BrowserContext
  close(): Promise<void>
}

/** Ensures Chromium, then launches it headless with `chromiumArgs` on a throwaway profile. */
export async function launchChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<LaunchedChromium> {
  const executablePath = await ensureChromium()
  const profile = await mkdtemp(join(tmpdir(), 'sluice-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  })
  const close = async (): Promise<void> => {
    await context.close()
    await rm(profile, { recursive: true, force: true })
  }
  return { context, close }
}

function aptInstallChromium(): Promise<void> {
  const script = 'apt-get update && apt-get install -y chromium'
  return new Promise((resolve, reject) => {
    // Output goes straight to the terminal: a long install should show that it is moving.
    const child = spawn('sh', ['-c', script], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: installTimeoutMs,
      killSignal: 'SIGKILL',
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`\`${script}\` failed (${signal ?? `exit code ${code ?? '?'}`})`))
    })
  })
}
