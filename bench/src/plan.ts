/** JSON pairs: sluice on a runtime, and the same handler written natively on it. */
export const JSON_PAIRS: [string, string][] = [
  ['sluice-node', 'raw-node'],
  ['sluice-express', 'express-res'],
  ['sluice-fastify', 'fastify-sse'],
  ['sluice-uws', 'raw-uws'],
]

/** Every target of the stream scenarios (open, flood, fan-out). */
export const SSE_TARGETS = [
  'sluice-node',
  'sluice-express',
  'sluice-fastify',
  'sluice-uws',
  'raw-node',
  'express-res',
  'fastify-sse',
  'orpc',
  'better-sse',
]

/** Targets of the idle-memory scenario. */
export const IDLE_TARGETS = ['sluice-node', 'sluice-express', 'sluice-fastify', 'sluice-uws', 'raw-node']

/** Which sluice runtime each peer is compared with (the runtime the peer runs on). */
export const PEER_RUNTIME: Record<string, string> = {
  'raw-node': 'sluice-node',
  'express-res': 'sluice-express',
  'fastify-sse': 'sluice-fastify',
  orpc: 'sluice-node',
  'better-sse': 'sluice-node',
}

export function prefixOf(target: string): string {
  return target.split('@')[0] === 'orpc' ? '/rpc' : ''
}

export interface Results {
  date: string
  quick: boolean
  seconds?: number
  config: Record<string, number>
  machine: { cpu: string; cores: number; node: string; load: string; wrk: string }
  json: Record<string, { rps: number; cpuPerRequest: number }[]>
  open: Record<string, { rps: number; cpuPerRequest: number }[]>
  flood: Record<string, { rate: number; cpuPerEvent: number }[]>
  fanout: Record<string, { capacity: number; rate70: number; p50: number; p99: number; delivered: number }[]>
  idle: Record<
    string,
    { heapPerStream: number; rssPerStream: number; heapGrowth: number; rssGrowth: number }[]
  >
}
