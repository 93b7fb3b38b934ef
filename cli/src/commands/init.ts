import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The arguments `sluice init` reads; the CLI hands every command all of them. */
export interface InitArgs {
  target: string | undefined
  template?: string
}

/** The runtimes the starter is composed for: one folder each under the starter's `runtimes/`. */
export const starters = ['node', 'express', 'fastify', 'uws'] as const

/** A runtime the starter is composed for. */
export type Starter = (typeof starters)[number]

// Templates of the repository that are not starters, and why.
const refused: Record<string, string> = {
  'progress-tracker':
    "is the repository's demo, not a starter: its browser tests run from the repository's own test " +
    'setup (Chromium, a root Vitest config). Run it with `npm start` in the sluice repository',
}

const usage = `usage: sluice init <dir> --template <${starters.join('|')}>`

/**
 * `sluice init <dir> --template <runtime>`: writes the starter composed for that runtime into a
 * new (or empty) folder, its `@sluice/*` dependencies at this CLI's version range, ready for
 * `npm install && npm test`.
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
  // Composed in memory first: a starter that cannot be read leaves no half-written folder.
  const files = await composeStarter(template as Starter, { name: basename(dir) })
  await ensureEmptyDir(dir)
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  const where = relative(process.cwd(), dir) || '.'
  console.log(`sluice: created ${where} from the starter on ${template}
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

/** Options of `composeStarter`. */
export interface ComposeOptions {
  /** The project's folder name; its package.json `name` is made from it. */
  name: string
}

// Starter files stored under another name, so that neither npm pack nor this repository's own
// tools (tsc, ESLint, editors) take them for the repository's: `_package.json` is composed below.
const renamed: Record<string, string> = { _gitignore: '.gitignore', '_tsconfig.json': 'tsconfig.json' }

/**
 * The starter composed for one runtime, as project path -> text: the shared app, tests, client
 * and README, plus the runtime's `server.ts`, README section and dependencies (`runtimes/<name>/`).
 */
export async function composeStarter(
  runtime: Starter,
  options: ComposeOptions,
): Promise<Map<string, string>> {
  const { starter, version } = await findStarter()
  const part = join(starter, 'runtimes', runtime)
  const meta = JSON.parse(await readFile(join(part, 'runtime.json'), 'utf8')) as RuntimePart
  const files = new Map<string, string>()
  for (const path of await listFiles(starter)) {
    if (path.startsWith('runtimes/') || path === '_package.json') continue
    files.set(renamed[path] ?? path, await readFile(join(starter, path), 'utf8'))
  }
  files.set('src/server.ts', await readFile(join(part, 'server.ts'), 'utf8'))
  const section = await readFile(join(part, 'server.md'), 'utf8')
  files.set('README.md', composeReadme(files.get('README.md') ?? '', { title: meta.title, section }))
  const base = JSON.parse(await readFile(join(starter, '_package.json'), 'utf8')) as Manifest
  files.set('package.json', composeManifest(base, meta, { name: options.name, version }))
  return files
}

/** A runtime's part of the starter: its display name and the dependencies its server.ts needs. */
interface RuntimePart {
  title: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

interface Manifest {
  name?: string
  version?: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

// `{{runtime}}` is the runtime's name; the `<!-- server -->` line its own section.
function composeReadme(readme: string, { title, section }: { title: string; section: string }): string {
  return readme.replaceAll('{{runtime}}', title).replace(/^<!-- server -->\n/m, section)
}

/**
 * The project's package.json: the starter's, with the runtime's dependencies merged in (sorted,
 * as npm writes them) and every `@sluice/*` package at `^<this CLI's version>`: the packages are
 * released together, so the CLI's own version is the range its templates were tested with.
 */
export function composeManifest(
  base: Manifest,
  part: RuntimePart,
  options: ComposeOptions & { version: string },
): string {
  const merge = (field: 'dependencies' | 'devDependencies'): Record<string, string> => {
    const deps = { ...base[field], ...part[field] }
    const sorted = Object.keys(deps).sort((a, b) => a.localeCompare(b, 'en'))
    return Object.fromEntries(
      sorted.map((name) => [name, name.startsWith('@sluice/') ? `^${options.version}` : (deps[name] ?? '')]),
    )
  }
  const name = options.name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
  const manifest = {
    ...base,
    name: name || 'sluice-app',
    dependencies: merge('dependencies'),
    devDependencies: merge('devDependencies'),
  }
  return `${JSON.stringify(manifest, null, 2)}\n`
}

// Every file under `dir`, as paths relative to it with `/` separators, sorted.
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((path) => !path.split('/').includes('node_modules'))
    .sort()
}

/**
 * This CLI's package folder (the nearest package.json above this module, in the sources or in
 * dist) and its starter: `templates/starter` inside the package once packed (copied there by
 * `prepack`), or the repository's own `templates/starter` when run from a clone.
 */
async function findStarter(): Promise<{ starter: string; version: string }> {
  let root = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(root, 'package.json'))) {
    if (dirname(root) === root) throw new Error('cannot find the package.json of @sluice/cli')
    root = dirname(root)
  }
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Manifest
  const starter = [join(root, 'templates/starter'), join(root, '../templates/starter')].find((dir) =>
    existsSync(join(dir, '_package.json')),
  )
  if (starter === undefined || version === undefined) throw new Error(`no starter next to ${root}`)
  return { starter, version }
}
