// The event hub: publish/subscribe by topic with replay after an id; in memory here, on Redis in @sluice/redis.
export { checkTopic, encodeHubData, HubEvent, ReplayGapError, SlowConsumerError } from './event-hub'
export type { EventHub, HubStats, SubscribeOptions, Subscription, TopicMap } from './event-hub'
export { createMemoryHub, hubDefaults } from './memory-hub'
export type { MemoryHubOptions } from './memory-hub'
export { pipeToChannel } from './pipe-to-channel'
export type { PipeOptions } from './pipe-to-channel'
export { HubSubscription } from './subscription'
export type { HubSubscriptionOptions, ReplaySource } from './subscription'
