import { definePackageBuild } from '../tsdown.base'

// Generated clients run in browsers, Node, Bun and Deno: no Node built-ins, an ES2022 floor.
// `tanstack` is apart so the main entry never names @tanstack/query-core (an optional peer).
export default definePackageBuild(
  { index: 'src/index.ts', tanstack: 'src/tanstack/index.ts' },
  { platform: 'neutral', target: 'es2022' },
)
