import { definePackageBuild } from '../../tsdown.base'

export default definePackageBuild({ index: 'src/index.ts' })
