// Dev aid, not part of `npm run bench`: heap snapshot of a target holding N idle streams.
// `node --import tsx bench/src/snapshot.ts <target> [N]` writes /tmp/sluice-<target>.heapsnapshot.
import { setTimeout as sleep } from 'node:timers/promises'
import { Child } from './proc'
import { prefixOf } from './plan'

const [target = 'sluice-node', count = '2000'] = process.argv.slice(2)
const server = Child.server(target, 4303, 0)
const client = Child.start('client', [], { cpu: 1, label: 'client' })
await Promise.all([server.ready, client.ready])
await client.call({ cmd: 'cycles', port: 4303, path: `${prefixOf(target)}/idle`, total: 200, wave: 100 })
await client.call({
  cmd: 'hold',
  port: 4303,
  path: `${prefixOf(target)}/idle`,
  count: Number(count),
  wave: 500,
})
await sleep(500)
console.log(await server.call({ cmd: 'snapshot', file: `/tmp/sluice-${target}.heapsnapshot` }))
await client.stop()
await server.stop()
