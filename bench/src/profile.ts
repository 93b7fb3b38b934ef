// Dev aid, not part of `npm run bench`: profiles one target under wrk or the flood client.
// `node --import tsx bench/src/profile.ts <target> <path> [seconds]` writes a .cpuprofile to /tmp/sluice-prof.
import { Child, wrk } from './proc'
import { prefixOf } from './plan'

const [target = 'sluice-node', path = '/json', seconds = '4'] = process.argv.slice(2)
process.env['BENCH_NODE_FLAGS'] = '--cpu-prof --cpu-prof-dir=/tmp/sluice-prof'
const server = Child.server(target, 4302, 0)
await server.ready
if (path.startsWith('/flood')) {
  const client = Child.start('client', [], { cpu: 1, label: 'client' })
  await client.ready
  const began = await server.call<{ user: number; system: number }>({ cmd: 'cpu' })
  const run = await client.call<{ events: number; ms: number }>({ cmd: 'flood', port: 4302, path })
  const ended = await server.call<{ user: number; system: number }>({ cmd: 'cpu' })
  const cpu = ended.user - began.user + ended.system - began.system
  console.log(
    `${target} ${path}: ${Math.round((run.events / run.ms) * 1000)} events/s, ${(cpu / run.events).toFixed(3)} µs CPU/event`,
  )
  await client.stop()
  await server.stop()
  process.exit(0)
}
const before = await server.call<{ user: number; system: number }>({ cmd: 'cpu' })
const { rps } = await wrk(
  `http://127.0.0.1:4302${prefixOf(target)}${path}`,
  Number(seconds),
  50,
  1,
  'text/event-stream',
)
const after = await server.call<{ user: number; system: number }>({ cmd: 'cpu' })
const cpu = after.user - before.user + after.system - before.system
console.log(
  `${target} ${path}: ${Math.round(rps)} req/s, ${(cpu / (rps * Number(seconds))).toFixed(1)} µs CPU/req`,
)
await server.stop()
