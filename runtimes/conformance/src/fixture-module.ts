import type { OpenAPIOptions } from '@sluice/core'
import { createFixtureApp } from './fixture-app'

/** The fixture as a module the CLI can load: `sluice client runtimes/conformance/src/fixture-module.ts`. */
export const app = createFixtureApp()

/** What `sluice openapi` publishes about the fixture besides its routes: info and servers. */
export const openapi: OpenAPIOptions = {
  info: {
    title: 'sluice conformance fixture',
    version: '1.0.0',
    description:
      'The app every sluice runtime is tested against: JSON routes, streams (Server-Sent Events), ' +
      'progressive routes, errors and auth. Run it with `npm run fixture -- --runtime node`.',
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [
    {
      url: 'http://127.0.0.1:{port}',
      description: 'The fixture server on this machine (`npm run fixture -- --port N`).',
      variables: { port: { default: '3000', description: 'The port given with `--port`.' } },
    },
  ],
}
