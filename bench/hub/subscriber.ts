// Process A of the fan-out benchmark: N subscriptions to one topic through a Redis hub. Prints
// `ready` once a warm-up event reached all of them, then one JSON line of results once every
// subscription has received `--events` benchmark events.
import { setMaxListeners } from 'node:events'
import { parseArgs } from 'node:util'
import { createRedisHub } from '../../redis/src/index'

type Tick = { k: number; t: number } // k < 0: warm-up; t: publish time (ms, same clock as `now`)
const { values } = parseArgs({
  options: {
    redis: { type: 'string' },
    prefix: { type: 'string' },
    topic: { type: 'string', default: 'fanout' },
    subscribers: { type: 'string', default: '100' },
    events: { type: 'string', default: '1000' },
  },
})
const subscribers = Number(values.subscribers)
const events = Number(values.events)
const now = () => performance.timeOrigin + performance.now()

const hub = await createRedisHub<Record<string, Tick>>({
  url: values.redis,
  keyPrefix: values.prefix,
  maxQueuedPerSubscriber: 1 << 20, // measure delivery, not the slow-consumer policy
})
const controller = new AbortController()
setMaxListeners(0, controller.signal) // one signal for all N subscriptions here; a server has one per request
const latencies = new Float64Array(subscribers * events)
let recorded = 0
let warm = 0
let firstAt = 0
let lastAt = 0

const readers = Array.from({ length: subscribers }, async () => {
  let seen = 0
  let warmed = false
  for await (const { data } of hub.subscribe(values.topic, { signal: controller.signal })) {
    const at = now()
    if (data.k < 0) {
      if (!warmed && (warmed = true) && ++warm === subscribers) {
        clearInterval(warmUp)
        console.log('ready')
      }
      continue
    }
    if (firstAt === 0) firstAt = at
    lastAt = at
    latencies[recorded++] = at - data.t
    if (++seen === events) return
  }
})
// Warm up until every subscription is registered and reading: then B may start.
const warmUp = setInterval(() => void hub.publish(values.topic, { k: -1, t: now() }), 50)
const timeout = setTimeout(() => {
  console.error(`timed out with ${recorded} of ${subscribers * events} deliveries`)
  process.exit(1)
}, 120_000)
await Promise.all(readers)
clearTimeout(timeout)

const sorted = latencies.subarray(0, recorded).sort()
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
console.log(
  JSON.stringify({
    deliveries: recorded,
    seconds: (lastAt - firstAt) / 1000,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
  }),
)
controller.abort()
await hub.close()
