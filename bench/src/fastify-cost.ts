// Dev aid, not part of `npm run bench`: server-side JavaScript CPU per JSON request on Fastify,
// without sockets, for sluice's plugin and for bare Fastify (a route returning the object), as
// request-cost.ts does for node and uWS: real IncomingMessage / ServerResponse objects with no
// socket, handed to `fastify.routing`. Bundle it as request-cost.ts's header shows, plus
// `--external:fastify --outfile=bench/fc-now.mjs` (Fastify then comes from bench/node_modules;
// for another checkout also alias @sluice/fastify to <dir>/runtimes/fastify/src/index.ts), run
// the bundles in turns, `node bench/fc-now.mjs [--n 50000] [--rounds 9]`, and delete them.
import { parseArgs } from 'node:util'
import { nodeCost } from './node-request'
import { createApp, defineFunction, wireHTTP } from '@sluice/core'
import { sluicePlugin } from '@sluice/fastify'
import Fastify, { type FastifyInstance } from 'fastify'

const { values } = parseArgs({ options: { n: { type: 'string' }, rounds: { type: 'string' } } })
const n = Number(values.n ?? 50_000)
const rounds = Number(values.rounds ?? 9)
const BODY = { id: 1, name: 'sluice', ok: true }

async function bare(): Promise<FastifyInstance> {
  const fastify = Fastify()
  fastify.get('/json', async () => BODY)
  await fastify.ready()
  return fastify
}

async function withSluice(): Promise<FastifyInstance> {
  const app = createApp({ onError: () => undefined })
  wireHTTP(app, { method: 'get', route: '/json', func: defineFunction({ func: () => BODY }) })
  const fastify = Fastify()
  await fastify.register(sluicePlugin, { app })
  await fastify.ready()
  return fastify
}

// CPU time per request of Fastify's routing on real request objects.
function cost(fastify: FastifyInstance, count: number): Promise<number> {
  return nodeCost((req, res) => fastify.routing(req, res), count)
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const cases: [string, FastifyInstance][] = [
  ['fastify: bare', await bare()],
  ['fastify: sluice', await withSluice()],
]
const results = new Map<string, number[]>(cases.map(([name]) => [name, []]))
for (const [, fastify] of cases) await cost(fastify, n / 4) // warm-up
for (let round = 0; round < rounds; round++)
  for (const [name, fastify] of cases) results.get(name)?.push(await cost(fastify, n))
console.log(`| case | CPU µs per request, median of ${rounds} | fastest |\n| --- | --- | --- |`)
for (const [name, times] of results)
  console.log(`| ${name} | ${median(times).toFixed(2)} | ${Math.min(...times).toFixed(2)} |`)
