import { definePackageBuild } from '../tsdown.base'

// Generated clients run in browsers, Node, Bun and Deno: no Node built-ins, an ES2022 floor.
export default definePackageBuild({ index: 'src/index.ts' }, { platform: 'neutral', target: 'es2022' })
