/**
 * @sluice/core/testing: the suite every event hub passes (the memory hub here, Redis in
 * @sluice/redis). Runs under Vitest, which it imports: `describeHubSuite('my hub', options)`.
 */
export { describeHubSuite, publishMany, take } from './hub-suite'
export type { HubLimits, HubSuiteOptions } from './hub-suite'
