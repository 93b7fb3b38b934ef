import { useHttp2Fetch } from '@sluice/conformance/http2-fetch'
import { tlsRuntimes } from '@sluice/conformance/runtimes'
import { runConformance } from '@sluice/conformance/suite'

// The node runtime on node:http2 over TLS, every case's fetch over h2 (undici 7, allowH2).
// http2.test.ts covers what the declined cases test, with an h2 client.
useHttp2Fetch()
runConformance({
  runtime: 'node-h2',
  serve: tlsRuntimes['node-h2'],
  cannot: {
    'GET /count streams ids 1..N then done, with the SSE headers':
      'HTTP/2 has no Connection header (RFC 9113 §8.2.2), so core sends no keep-alive over h2 (its absence shows the case ran over h2); the rest of the case holds',
    'a client that reads nothing does not grow server memory without bound':
      'the case writes plain HTTP/1.1 on a raw TCP socket, which this TLS port cannot read (it would pass without testing anything); http2.test.ts has an h2 client that stops reading',
    'a client that stops reading for slowConsumerMs is dropped and its generator returned':
      'the case writes plain HTTP/1.1 on a raw TCP socket, which this TLS port cannot read; http2.test.ts fills an h2 flow-control window instead',
  },
})
