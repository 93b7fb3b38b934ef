// The hub's fan-out across processes: N subscriptions in process A, publishes from process B,
// through one Redis. `npx tsx bench/hub/fanout.ts [--subscribers 1,100,1000] [--events 2000] [--rate 1000,0]`
// (--rate 0: as fast as B can publish). Starts its own redis-server on a free loopback port.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startRedisServer } from '../../redis/test/redis-server'

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1,100,1000' },
    events: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '1000,0' },
  },
})
const here = fileURLToPath(new URL('.', import.meta.url))

/** Runs a script of this folder under tsx; calls `onLine` per stdout line, resolves all of stdout at exit. */
function run(
  script: string,
  args: string[],
  onLine: (line: string) => void = () => undefined,
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${here}${script}`, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let all = ''
  let partial = ''
  child.stdout.on('data', (chunk: Buffer) => {
    all += chunk.toString()
    const lines = (partial + chunk.toString()).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) onLine(line)
  })
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve(all) : reject(new Error(`${script} exited with ${code}`)),
    ),
  )
}

const redis = await startRedisServer()
const rows: Record<string, string | number>[] = []
try {
  for (const rate of values.rate.split(',').map(Number)) {
    for (const subscribers of values.subscribers.split(',').map(Number)) {
      const common = ['--redis', redis.url, '--prefix', `bench:${randomUUID()}:`, '--events', values.events]
      let ready: () => void = () => undefined
      const isReady = new Promise<void>((resolve) => (ready = resolve))
      const a = run('subscriber.ts', [...common, '--subscribers', String(subscribers)], (line) => {
        if (line === 'ready') ready()
      })
      await Promise.race([isReady, a])
      const b = run('publisher.ts', [...common, '--rate', String(rate)])
      const [aOut, bOut] = await Promise.all([a, b])
      const result = JSON.parse(aOut.trim().split('\n').at(-1) ?? '{}') as Record<string, number>
      const published = JSON.parse(bOut.trim().split('\n').at(-1) ?? '{}') as Record<string, number>
      rows.push({
        'publish rate/s':
          rate === 0
            ? `max (${Math.round((published['published'] ?? 0) / (published['seconds'] ?? 1))})`
            : rate,
        subscribers,
        deliveries: result['deliveries'] ?? 0,
        'deliveries/s': Math.round((result['deliveries'] ?? 0) / (result['seconds'] || 1)),
        'p50 ms': (result['p50'] ?? NaN).toFixed(2),
        'p99 ms': (result['p99'] ?? NaN).toFixed(2),
        'max ms': (result['max'] ?? NaN).toFixed(2),
      })
      console.log(JSON.stringify(rows.at(-1)))
    }
  }
} finally {
  await redis.stop()
}
console.table(rows)
