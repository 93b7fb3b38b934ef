import { runConformance } from '@sluice/conformance/suite'
import { processRuntimes } from '@sluice/conformance/process-runtimes'

// The fetch handler in a Next.js 16 App Router catch-all route (runtimes/nextjs), served by
// `next start` after one `next build`; every fixture variant is a path of that one server.
// Each reason below was measured on it.
runConformance({
  runtime: 'nextjs',
  serve: processRuntimes.nextjs,
  cannot: {
    'HEAD on a JSON route answers its headers and no body':
      "Next sends a route handler's body chunked and drops its Content-Length (GET /health arrives with Transfer-Encoding: chunked), so HEAD has no Content-Length; status, type and the empty body hold",
    'prototype keys in a body are refused and pollute nothing':
      'Next rebuilds request.url from its parsed query, where a __proto__ key is dropped: the handler never sees it and answers 200 without it instead of 400; the three body attempts are refused (400) and nothing is polluted',
    'close() ends every stream with a jittered retry, no done, and runs every finally':
      'Next gives a route handler no shutdown hook: on SIGTERM `next start` keeps serving open streams until their clients leave (a /forever stream ran on 14 s after SIGTERM; the process exited only when it ended), so closeApp is not reached; see docs/runtimes/nextjs.md',
  },
})
