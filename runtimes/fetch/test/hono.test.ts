import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// The fetch handler mounted under /api in a Hono app on @hono/node-server (node:http).
runConformance({ runtime: 'hono', serve: runtimes.hono })
