import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { basename, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The arguments `sluice init` reads; the CLI hands every command all of them. */
export interface InitArgs {
  target: string | undefined
  template?: string
}

/** Templates that stand alone once copied: their own tsconfig, tests and client. */
export const starters = ['express', 'fastify', 'uws'] as const

// Templates of the repository that are not starters, and why.
const refused: Record<string, string> = {
  'progress-tracker':
    "is the repository's demo, not a starter: its browser tests run from the repository's own test " +
    'setup (Chromium, a root Vitest config). Run it with `npm start` in the sluice repository',
}

const usage = `usage: sluice init <dir> --template <${starters.join('|')}>`

// The repository this CLI runs from (through tsx, so this is the source file's real location).
const repository = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * `sluice init <dir> --template <name>`: copies a starter into a new (or empty) folder, without
 * node_modules, with its @sluice/* dependencies pointed at this repository's packages (they
 * are not on the npm registry), ready for `npm install && npm test`.
 */
export async function run(args: InitArgs): Promise<number> {
  const { target, template } = args
  if (target === undefined || template === undefined) {
    console.error(`sluice init: ${target === undefined ? 'a folder' : '--template'} is required\n${usage}`)
    return 2
  }
  if (Object.hasOwn(refused, template)) {
    console.error(`sluice init: the ${template} template ${refused[template] ?? ''}.\n${usage}`)
    return 2
  }
  if (!(starters as readonly string[]).includes(template)) {
    console.error(`sluice init: no template "${template}"\n${usage}`)
    return 2
  }
  const dir = resolve(process.cwd(), target)
  const source = join(repository, 'templates', template)
  const manifest = await toStandalonePackage(source, dir) // before any write: it can fail
  await ensureEmptyDir(dir)
  await copyTemplate(source, dir)
  await writeFile(join(dir, 'package.json'), manifest)
  const where = relative(process.cwd(), dir) || '.'
  console.log(`sluice: created ${where} from the ${template} template
next:
  cd ${where}
  npm install
  npm test    # then npm start`)
  return 0
}

// A new folder, or an empty one: never mix a template into someone's files.
async function ensureEmptyDir(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined)
  if (found === undefined) {
    await mkdir(dir, { recursive: true })
    return
  }
  if (!found.isDirectory()) throw new Error(`${dir} exists and is not a folder`)
  if ((await readdir(dir)).length > 0) throw new Error(`${dir} is not empty; choose a new or empty folder`)
}

/** Copies a template's files, without any node_modules (npm install makes the project's own). */
export async function copyTemplate(source: string, dir: string): Promise<void> {
  await cp(source, dir, { recursive: true, filter: (path) => basename(path) !== 'node_modules' })
}

/**
 * The template's package.json for a project of its own: named after its folder, and every
 * `@sluice/*` version replaced by a `file:` path to the package in this repository.
 */
export async function toStandalonePackage(templateDir: string, dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(templateDir, 'package.json'), 'utf8')) as Manifest
  const packages = await workspacePackages()
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const deps = manifest[field] ?? {}
    for (const name of Object.keys(deps)) {
      if (!name.startsWith('@sluice/')) continue
      const path = packages.get(name)
      if (path === undefined) throw new Error(`${name} is not a package of the sluice repository`)
      deps[name] = `file:${path}`
    }
  }
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
  return `${JSON.stringify({ ...manifest, name: name || 'sluice-app', version: '0.1.0' }, null, 2)}\n`
}

interface Manifest {
  name?: string
  workspaces?: string[]
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

// Package name -> absolute folder, for every workspace of the repository.
async function workspacePackages(): Promise<Map<string, string>> {
  const root = JSON.parse(await readFile(join(repository, 'package.json'), 'utf8')) as Manifest
  const packages = new Map<string, string>()
  for (const workspace of root.workspaces ?? []) {
    const dir = join(repository, workspace)
    // A workspace without a readable package.json (one being set up) cannot be linked anyway.
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined)
    const manifest = text === undefined ? {} : (JSON.parse(text) as Manifest)
    if (manifest.name !== undefined) packages.set(manifest.name, dir.replace(/\/$/, ''))
  }
  return packages
}
