/**
 * Express's `res` is node's: node's writer applies as it is, with its backpressure, the headers
 * middleware set upstream (`cors()`, `helmet()`) kept, and an upstream `Vary` merged with core's.
 */
export { sendCoreResponse } from '@sluice/node'
