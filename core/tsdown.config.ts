import { definePackageBuild } from '../tsdown.base'

export default definePackageBuild({
  index: 'src/index.ts',
  adapter: 'src/adapter/index.ts',
  hub: 'src/hub/index.ts',
  // OpenTelemetry, apart so an app that never imports it never loads @opentelemetry/api.
  otel: 'src/otel/index.ts',
  // The hub suite, for hub implementations' tests; Vitest stays an import (an optional peer).
  testing: 'testing/index.ts',
})
