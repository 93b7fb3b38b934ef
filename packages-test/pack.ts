import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from './run'

/** The repository this test folder belongs to. */
export const root = fileURLToPath(new URL('../', import.meta.url))

/** One packed package: what `npm pack --json` reports, and where its tarball is. */
export interface Tarball {
  name: string
  version: string
  /** Absolute path of the .tgz. */
  file: string
  /** `sha512-...`, as a registry serves it and a lockfile records it. */
  integrity: string
}

interface Manifest {
  name?: string
  private?: boolean
  workspaces?: string[]
}

/** The folders of the root's workspaces whose package.json is not private: what gets published. */
export async function publicWorkspaces(): Promise<string[]> {
  const rootManifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Manifest
  const folders: string[] = []
  for (const folder of rootManifest.workspaces ?? []) {
    const manifest = JSON.parse(await readFile(join(root, folder, 'package.json'), 'utf8')) as Manifest
    if (manifest.private !== true) folders.push(folder)
  }
  return folders
}

/** `npm pack` of every public workspace into `dest`, in one npm run (prepack scripts included). */
export async function packWorkspaces(dest: string, env: NodeJS.ProcessEnv): Promise<Tarball[]> {
  const folders = await publicWorkspaces()
  const args = ['pack', '--json', '--pack-destination', dest, ...folders.flatMap((folder) => ['-w', folder])]
  const result = await run('npm', args, { cwd: root, timeoutMs: 120_000, env })
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`)
  // npm prints the JSON array after any prepack output of the packages' own scripts.
  const json = result.stdout.startsWith('[')
    ? result.stdout
    : result.stdout.slice(result.stdout.indexOf('\n[') + 1)
  const packed = JSON.parse(json) as (Omit<Tarball, 'file'> & { filename: string })[]
  return packed.map(({ name, version, integrity, filename }) => ({
    name,
    version,
    integrity,
    file: join(dest, filename),
  }))
}
