import { runConformance } from '@sluice/conformance/suite'
import { processRuntimes } from '@sluice/conformance/process-runtimes'

runConformance({ runtime: 'bun', serve: processRuntimes.bun })
