import { runConformance } from '@sluice/conformance/suite'
import { processRuntimes } from '@sluice/conformance/process-runtimes'

// The fetch handler in a Next.js 16 App Router catch-all route (runtimes/nextjs), served by
// `next start` after one `next build`; every fixture variant is a path of that one server.
// Each reason below was measured on it.
runConformance({
  runtime: 'nextjs',
  serve: processRuntimes.nextjs,
  cannot: {
    'an absolute-form target is answered like its path':
      'Next answers `GET http://host/main/health` with a 308 redirect to the origin-form URL instead of serving it (measured); a client that follows it gets the answer',
    'a keep-alive client keeps its connection after a stream':
      "the second request on the connection is answered 200, but with Next's own headers and its route body chunked (see HEAD above), which the case's reader of a plain body does not take (measured)",
    'clients that leave before the headers go out leave no generator or stream slot behind':
      "Next does not abort request.signal for a client that leaves before the response's headers are out (here during a 50 ms authenticate): measured, 4 of 4 generators never ran their finally and the leaky fixture's slots stayed taken; maxDurationMs is the guard (docs/runtimes/nextjs.md)",
    'streams pipelined behind another on one socket all end when the socket goes':
      'after the socket was destroyed the first of the pipelined streams (piped-a) was still running (measured): Next tells the handler nothing for a connection that goes while requests are queued on it',
    'a progressive function that started sending, then failed, is stopped through its signal':
      'the case uses the leaky fixture (4 slots), which the two cases above leave full on Next; run alone it passes (measured: vitest -t on this file)',
    'HEAD on a JSON route answers its headers and no body':
      "Next sends a route handler's body chunked and drops its Content-Length (GET /health arrives with Transfer-Encoding: chunked), so HEAD has no Content-Length; status, type and the empty body hold",
    'prototype keys in a body are refused and pollute nothing':
      'Next rebuilds request.url from its parsed query, where a __proto__ key is dropped: the handler never sees it and answers 200 without it instead of 400; the three body attempts are refused (400) and nothing is polluted',
    'close() ends every stream with a jittered retry, no done, and runs every finally':
      'Next gives a route handler no shutdown hook: on SIGTERM `next start` keeps serving open streams until their clients leave (a /forever stream ran on 14 s after SIGTERM; the process exited only when it ended), so closeApp is not reached; see docs/runtimes/nextjs.md',
  },
})
