import { spawnFixture } from './process/spawn-fixture'
import { serveNextjs } from './process/spawn-nextjs'

export { spawnWorker } from './process/spawn-fixture'

/**
 * The runtimes the fixture runs on in processes of their own, by the name `--runtime` takes:
 * their binaries live in runtimes/binaries (`npm run test:runtimes` installs them).
 */
export const processRuntimes = {
  bun: spawnFixture('bun'),
  deno: spawnFixture('deno'),
  workerd: spawnFixture('workerd'),
  nextjs: serveNextjs,
}
