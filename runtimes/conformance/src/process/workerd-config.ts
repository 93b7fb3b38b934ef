import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FixtureSettings } from '../fixture-settings'
import { binary, repoRoot } from './binaries'

/**
 * The workerd compatibility date the fixture runs with: the installed workerd's own. From
 * 2026-11-17 on `enable_request_signal` is a default (before, name it in compatibilityFlags):
 * without it `request.signal` never aborts, and only a stream's `cancel` reports a client that
 * left. `nodejs_compat` is a default from 2026-08-04 (the fixture uses `node:timers/promises`).
 */
export const WORKERD_COMPATIBILITY_DATE = '2026-11-17'

/** The fixture as a Worker module. */
export const FIXTURE_WORKER = join(repoRoot, 'runtimes/conformance/src/process/workerd-entry.ts')

const bundled = new Map<string, Promise<string>>()

/** Bundles a worker entry once per process with esbuild; resolves the folder holding `worker.js`. */
export function bundleWorker(entry: string): Promise<string> {
  let folder = bundled.get(entry)
  if (folder === undefined) bundled.set(entry, (folder = bundle(entry)))
  return folder
}

async function bundle(entry: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'sluice-workerd-'))
  await promisify(execFile)(
    binary('esbuild'),
    [
      entry,
      '--bundle',
      '--format=esm',
      '--platform=neutral',
      '--main-fields=module,main',
      // workerd provides node:* itself (nodejs_compat).
      '--external:node:*',
      `--outfile=${join(folder, 'worker.js')}`,
      '--log-level=warning',
    ],
    { cwd: repoRoot },
  )
  return folder
}

/** Writes a capnp config serving the bundled worker on 127.0.0.1:port with these settings; returns its path. */
export async function writeWorkerdConfig(
  folder: string,
  port: number,
  settings: FixtureSettings,
): Promise<string> {
  const path = join(folder, `config-${port}.capnp`)
  await writeFile(
    path,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "${WORKERD_COMPATIBILITY_DATE}",
  bindings = [ (name = "FIXTURE", json = ${JSON.stringify(JSON.stringify(settings))}) ],
);
`,
  )
  return path
}
