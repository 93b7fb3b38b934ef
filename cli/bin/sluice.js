#!/usr/bin/env node
// `#cli` is dist/cli.js once built; inside the sluice repository (node --conditions=@sluice/source,
// see docs/architecture.md) it is the TypeScript source, which tsx runs with no build step.
const entry = import.meta.resolve('#cli')
if (entry.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api')
  await tsImport(entry, import.meta.url)
} else {
  await import(entry)
}
