import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// node:http passes every case: it is the reference runtime.
runConformance({ runtime: 'node', serve: runtimes.node })
