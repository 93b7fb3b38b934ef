/** @sluice/redis: sluice's event hub on Redis Streams, shared by every server process. */
export { createRedisHub } from './redis-hub'
export type { RedisHubOptions } from './redis-hub'
