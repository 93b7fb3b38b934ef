import { useHttp2Fetch } from '@sluice/conformance/http2-fetch'
import { tlsRuntimes } from '@sluice/conformance/runtimes'
import { runConformance } from '@sluice/conformance/suite'

// The node runtime on node:http2 over TLS, every case's fetch over h2 (undici 7, allowH2).
// http2.test.ts covers what the declined cases test, with an h2 client.
useHttp2Fetch()

// Cases that speak HTTP/1.x on a raw TCP socket (framing, connection handling, pipelining).
// Behind this port's TLS an HTTP/1.1 client gets node:http's own parser and the node runtime's
// path, which the node runtime's suite checks over plain TCP.
const RAW_HTTP1 =
  'the case writes plain HTTP/1.x on a raw TCP socket, which this TLS port cannot read (measured: no HTTP answer comes back on it); the node runtime passes it over plain TCP'
const rawHttp1Cases = [
  'Connection: close: the stream has no keep-alive and the socket closes after done',
  'Content-Length twice with different values: 400, then the connection closes',
  'a Transfer-Encoding other than chunked: 400, then the connection closes',
  'a chunk extension is ignored',
  'a chunked body is read whatever the case of "chunked"',
  'a keep-alive client keeps its connection after a stream',
  'a non-ASCII Last-Event-ID is a 400, not an id that resumes elsewhere',
  'a request hidden behind two Content-Length values gets a 400 before the close',
  'a request pipelined behind an open stream is answered after it',
  'an HTTP/1.0 request is answered, and the connection closes after it',
  'an HTTP/1.0 stream arrives whole and the socket closes after done',
  'an absolute-form target is answered like its path',
  'clients that leave before the headers go out leave no generator or stream slot behind',
  'streams pipelined behind another on one socket all end when the socket goes',
]
runConformance({
  runtime: 'node-h2',
  serve: tlsRuntimes['node-h2'],
  cannot: {
    ...Object.fromEntries(rawHttp1Cases.map((name) => [name, RAW_HTTP1])),
    'a client that reads nothing does not grow server memory without bound':
      'the case writes plain HTTP/1.1 on a raw TCP socket, which this TLS port cannot read (it would pass without testing anything); http2.test.ts has an h2 client that stops reading',
    'a client that stops reading for slowConsumerMs is dropped and its generator returned':
      'the case writes plain HTTP/1.1 on a raw TCP socket, which this TLS port cannot read; http2.test.ts fills an h2 flow-control window instead',
  },
})
