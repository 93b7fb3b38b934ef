import { definePackageBuild } from '../tsdown.base'

// The CLI has no library API: bin/sluice.js imports dist/cli.js, which needs no .d.ts.
export default definePackageBuild({ cli: 'src/cli.ts' }, { dts: false })
