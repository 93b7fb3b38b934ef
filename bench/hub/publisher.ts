// Process B of the fan-out benchmark: publishes `--events` events at `--rate` per second (0: as
// fast as a window of 32 publishes in flight allows), each stamped with its publish time, after
// as many warm-up events (not measured) so both processes run optimised code.
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { createRedisHub } from '../../redis/src/index'

const { values } = parseArgs({
  options: {
    redis: { type: 'string' },
    prefix: { type: 'string' },
    topic: { type: 'string', default: 'fanout' },
    events: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '1000' },
  },
})
const events = Number(values.events)
const rate = Number(values.rate)
const now = () => performance.timeOrigin + performance.now()
const hub = await createRedisHub({ url: values.redis, keyPrefix: values.prefix, historyPerTopic: 10_000 })

const started = now()
const inFlight = new Set<Promise<unknown>>()
for (let k = -events; k < events; k++) {
  if (rate > 0) {
    const due = started + ((k + events) * 1000) / rate
    if (due > now()) await sleep(due - now())
  } else if (inFlight.size >= 32) await Promise.race(inFlight)
  const publishing = hub
    .publish(values.topic, { k: k < 0 ? -2 : k, t: now() })
    .finally(() => inFlight.delete(publishing))
  inFlight.add(publishing)
}
await Promise.all(inFlight)
console.log(JSON.stringify({ published: 2 * events, seconds: (now() - started) / 1000 }))
await hub.close()
