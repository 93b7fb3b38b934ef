import { runConformance } from '@sluice/conformance/suite'
import { serve } from '@sluice/node'

runConformance({
  runtime: 'node',
  serve: (app, port) => serve(app, { port, host: '127.0.0.1' }),
})
