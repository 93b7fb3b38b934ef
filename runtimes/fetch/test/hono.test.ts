import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// The fetch handler mounted under /api in a Hono app on @hono/node-server (node:http). Each
// reason below was measured on @hono/node-server 2.1.11.
runConformance({
  runtime: 'hono',
  serve: runtimes.hono,
  cannot: {
    'streams pipelined behind another on one socket all end when the socket goes':
      "@hono/node-server aborts the Request's signal only on the ServerResponse's close (its getRequestListener), which node never emits on a response queued behind another on its connection: after the socket was destroyed the three pipelined streams (b, c, d) were still running and kept their slots, as with srvx; @sluice/node watches the connection",
  },
})
