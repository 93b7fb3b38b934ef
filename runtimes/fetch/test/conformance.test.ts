import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// The fetch handler on Node, through srvx's node:http bridge; Bun, Deno and workerd run the
// same suite in their own processes (`npm run test:runtimes`, the *.runtime.test.ts files).
runConformance({ runtime: 'fetch-node', serve: runtimes['fetch-node'] })
