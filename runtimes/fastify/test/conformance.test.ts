import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// Fastify routes natively, so a request no sluice route takes is answered by Fastify itself.
runConformance({
  runtime: 'fastify',
  serve: runtimes.fastify,
  cannot: {
    'an unknown route is a 404 with a JSON body':
      "unknown paths go to Fastify's own 404 handler (setNotFoundHandler), so the body is Fastify's, not sluice's",
    'a wrong method is a 405 with Allow':
      'Fastify routes on method and path together: a method no route has is a 404 from its 404 handler, with no Allow',
  },
})
