// A server process of the multi-process test: `tsx redis/test/hub-server.ts --runtime node --redis URL --prefix P`.
// Prints `listening on <url>`; exits when its parent closes stdin, so a crashed test leaves nothing behind.
import { runtimes, type ServeApp } from '@sluice/conformance/runtimes'
import { parseArgs } from 'node:util'
import { createRedisHub } from '../src/index'
import { createHubApp, type FeedTopics } from './hub-app'

const { values } = parseArgs({
  options: { runtime: { type: 'string' }, redis: { type: 'string' }, prefix: { type: 'string' } },
})
const serve = (runtimes as Record<string, ServeApp | undefined>)[values.runtime ?? '']
if (serve === undefined || values.redis === undefined) {
  console.error(
    'usage: hub-server.ts --runtime <node|express|fastify|uws> --redis <url> [--prefix <key prefix>]',
  )
  process.exit(2)
}
const hub = await createRedisHub<FeedTopics>({ url: values.redis, keyPrefix: values.prefix })
const running = await serve(createHubApp(hub), 0)
console.log(`listening on ${running.url}`)

process.stdin.resume()
process.stdin.once('end', () => {
  void Promise.all([running.close(), hub.close()]).finally(() => process.exit(0))
})
