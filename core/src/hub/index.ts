/**
 * @sluice/core/hub: the event hub (publish/subscribe by topic, replay after an id; in memory here,
 * on Redis in @sluice/redis), and what a hub implementation needs: the subscription iterator,
 * the shared checks and the queue that hands a broadcast out a slice per event-loop turn.
 */
export { checkTopic, encodeHubData, HubEvent, ReplayGapError, SlowConsumerError } from './event-hub'
export type { EventHub, HubStats, SubscribeOptions, Subscription, TopicMap } from './event-hub'
export { createMemoryHub, hubDefaults } from './memory-hub'
export type { MemoryHubOptions } from './memory-hub'
export { pipeToChannel } from './pipe-to-channel'
export type { PipeOptions } from './pipe-to-channel'
export { HubSubscription } from './subscription'
export type { HubSubscriptionOptions, ReplaySource } from './subscription'
/** The queue that hands a broadcast out a slice per event-loop turn; hubs push through it. */
export { fanOutQueue, TurnQueue } from '../stream/turns'
