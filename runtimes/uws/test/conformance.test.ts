import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// What this uWS build (@trufflesuite/uws-js-unofficial 20.30.0) does in C++ before or instead of
// calling a handler, measured over raw sockets; runtimes/uws/README.md lists the same.
const SILENT =
  'nothing is answered: no handler runs, and uWS closes the connection only at its idle timeout (measured 8.4-11.5 s)'

runConformance({
  runtime: 'uws',
  serve: runtimes.uws,
  cannot: {
    'a request hidden behind two Content-Length values gets a 400 before the close':
      "the hidden request comes in the same read: uWS parses it before the refusal can leave (writes from a handler wait in uWS's cork buffer, and close() drops them), finds the refused request still pending and closes the connection itself, so the client gets the close without the 400; the hidden request never runs",
    'an HTTP/1.0 request is answered, and the connection closes after it': `this build's parser takes a request line that does not end in " HTTP/1.1" as incomplete: ${SILENT}`,
    'an absolute-form target is answered like its path': `this build's parser wants "/" right after the method, so it takes "GET http://host/..." as incomplete: ${SILENT}`,
    'a chunk extension is ignored':
      'this build\'s chunked decoder takes ";" in a chunk-size line as an error and closes the connection at once, without an answer; the body never reaches JavaScript',
    'a request pipelined behind an open stream is answered after it':
      'uWS closes the connection when a request arrives while the previous response is still pending, before any handler runs: the stream is cut (its generator finally runs) and the request is never answered',
    'an HTTP/1.0 stream arrives whole and the socket closes after done': `this build's parser takes a request line that does not end in " HTTP/1.1" as incomplete: ${SILENT}`,
    'a non-ASCII Last-Event-ID is a 400, not an id that resumes elsewhere':
      'this uWS build drops header bytes >= 0x80 before JavaScript sees them (measured: the bytes E9 74 E9 arrive as `t`, UTF-8 `é` as an empty string), so core cannot tell such an id from an ASCII one',
  },
})
