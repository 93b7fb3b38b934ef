import { fileURLToPath } from 'node:url'

// The route imports the fixture from the repository's workspaces, two folders up: Turbopack
// and output tracing must be allowed to reach them.
const root = fileURLToPath(new URL('../..', import.meta.url))

/** @type {import('next').NextConfig} */
export default {
  turbopack: { root },
  outputFileTracingRoot: root,
}
