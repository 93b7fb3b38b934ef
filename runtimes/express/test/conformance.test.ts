import { runConformance } from '@sluice/conformance/suite'
import { runtimes } from '@sluice/conformance/runtimes'

// Mounted as users mount it: requests no route matches go on to next(), so Express answers them.
// `passUnmatched: false` gives sluice's own 404 and 405 (express.test.ts).
runConformance({
  runtime: 'express',
  serve: runtimes.express,
  cannot: {
    'an unknown route is a 404 with a JSON body':
      "an unknown path goes to next() by design; Express's final handler answers an HTML 404",
    'a wrong method is a 405 with Allow':
      "a method the path lacks goes to next() by design, for a later Express route of that method; if none takes it, Express's final handler answers an HTML 404, not a 405 with Allow",
  },
})
