import { createFetchHandler, type FetchHandler } from '@sluice/fetch'
import { createFixtureApp } from '../fixture-app'
import { toFixtureOptions, type FixtureSettings } from '../fixture-settings'

/** The worker's bindings: the fixture settings, as JSON in the capnp config. */
interface Env {
  FIXTURE: FixtureSettings
}

let handler: FetchHandler | undefined

// The fixture as a Worker module, bundled by esbuild. The app is made on the first request,
// once per isolate: a Worker receives its bindings only then.
export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= createFetchHandler(createFixtureApp(toFixtureOptions(env.FIXTURE)))
    return handler(request)
  },
}
