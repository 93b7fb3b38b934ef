import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// The fetch handler on Node, through srvx's node:http bridge; Bun, Deno and workerd run the
// same suite in their own processes (`npm run test:runtimes`, the *.runtime.test.ts files).
// Each reason below was measured on srvx 1.0.8.
runConformance({
  runtime: 'fetch-node',
  serve: runtimes['fetch-node'],
  cannot: {
    'streams pipelined behind another on one socket all end when the socket goes':
      "srvx aborts request.signal and cancels the body only on the ServerResponse's close, which node never emits on a response queued behind another on its connection: the pipelined streams run on (a /hang never ends) and keep their slots; @sluice/node watches the connection",
  },
})
