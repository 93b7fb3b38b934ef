import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// uWebSockets.js passes every case.
runConformance({ runtime: 'uws', serve: runtimes.uws })
