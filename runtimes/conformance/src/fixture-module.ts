import { createFixtureApp } from './fixture-app'

/** The fixture as a module the CLI can load: `sluice client runtimes/conformance/src/fixture-module.ts`. */
export const app = createFixtureApp()
