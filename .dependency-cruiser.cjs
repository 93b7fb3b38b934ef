// @ts-check
// The layer rules of docs/architecture.md ("Layers and the rule that enforces them"), run by
// `npm run lint:deps` in `npm test`. Type-only imports count: a cycle of types is still a cycle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No import cycle anywhere, type-only ones included: layers point one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'runtime-uses-core-entry-points',
      severity: 'error',
      comment:
        'A runtime package imports core only through @sluice/core, @sluice/core/adapter and ' +
        '@sluice/core/hub and @sluice/core/otel, never a file inside core. (The conformance package may reach what it tests.)',
      from: { path: '^runtimes/(?!conformance/)[^/]+/' },
      to: {
        path: '^core/',
        pathNot: '^core/(src|dist)/(index|adapter/index|hub/index|otel/index)\\.(ts|js|d\\.ts)$',
      },
    },
    {
      name: 'core-imports-no-runtime',
      severity: 'error',
      comment: 'Core is runtime-neutral: no node:http(2), no framework, no runtime package.',
      from: { path: '^core/' },
      to: {
        path: [
          '^(node:)?(http|http2|https|net)$',
          '(^|/)node_modules/(@types/)?(express|fastify|@fastify/[^/]+|uWebSockets\\.js|@trufflesuite/uws-js-unofficial)(/|$)',
          // An import that does not resolve is reported by name.
          '^(express|fastify|uWebSockets\\.js)$',
          '^runtimes/',
        ],
      },
    },
    {
      name: 'client-imports-nothing',
      severity: 'error',
      comment:
        "@sluice/client's main entry has no dependencies and runs in browsers: no package, no Node " +
        'built-in. Only the @sluice/client/tanstack subpath names one (its optional peer, types only).',
      from: { path: '^client/src/', pathNot: ['^client/src/tanstack/', '\\.test\\.ts$'] },
      to: { dependencyTypesNot: ['local'] },
    },
    {
      name: 'core-layers',
      severity: 'error',
      comment:
        'Inside core, the engine layers point down only: errors and schema know nothing above them; ' +
        'stream knows errors and schema; app adds functions and wiring; http and openapi read app.',
      from: { path: '^core/src/(errors|schema|stream)/' },
      to: { path: '^core/src/(app|http|openapi|hub|adapter/index)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // interop/.generated: third-party generators' output, written by `npm run test:interop`.
    exclude: { path: '(^|/)(dist|bench)/|^interop/\\.generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
  },
}
