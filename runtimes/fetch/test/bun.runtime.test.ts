import { runConformance } from '@sluice/conformance/suite'
import { processRuntimes } from '@sluice/conformance/process-runtimes'

// Bun 1.4.5 (npm `bun`); each reason below was measured on it.
runConformance({
  runtime: 'bun',
  serve: processRuntimes.bun,
  cannot: {
    'a request pipelined behind an open stream is answered after it':
      'Bun.serve closes the connection as soon as a request arrives while a streamed response is still going (measured: the stream head, then the close within 2 ms of the second request): the stream is cut and the request never answered; the case that asks for an answer or a close at once passes',
  },
})
