import { definePackageBuild } from '../tsdown.base'

export default definePackageBuild({ index: 'src/index.ts', adapter: 'src/adapter/index.ts' })
