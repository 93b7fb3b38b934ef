#!/usr/bin/env node
// The CLI is TypeScript; tsx runs it (and the user's app module) with no build step.
import { tsImport } from 'tsx/esm/api'

await tsImport('../src/cli.ts', import.meta.url)
