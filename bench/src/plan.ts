/** JSON pairs: sluice on a runtime, and the same handler written natively on it. */
export const JSON_PAIRS: [string, string][] = [
  ['sluice-node', 'raw-node'],
  ['sluice-express', 'express-res'],
  ['sluice-fastify', 'fastify-sse'],
  ['sluice-uws', 'raw-uws'],
  ['sluice-bun', 'raw-bun'],
]

/** Peers in the JSON scenario, each with the sluice target it is compared with. */
export const JSON_PEERS: Record<string, string> = { hono: 'sluice-node' }

/** Every target of the stream scenarios (open, flood, fan-out). */
export const SSE_TARGETS = [
  'sluice-node',
  'sluice-express',
  'sluice-fastify',
  'sluice-uws',
  'sluice-bun',
  'raw-node',
  'express-res',
  'fastify-sse',
  'raw-bun',
  'hono',
  'orpc',
  'better-sse',
]

/** Which sluice runtime each peer is compared with (the runtime the peer runs on). */
export const PEER_RUNTIME: Record<string, string> = {
  'raw-node': 'sluice-node',
  'express-res': 'sluice-express',
  'fastify-sse': 'sluice-fastify',
  'raw-bun': 'sluice-bun',
  hono: 'sluice-node',
  orpc: 'sluice-node',
  'better-sse': 'sluice-node',
}

/**
 * Targets of the idle-memory scenario; `base` is the target whose heap per stream a sluice
 * target's is compared with, and `limit` issue 20's bound on the difference (KiB).
 */
export const IDLE: Record<string, { base?: string; limit?: number }> = {
  'sluice-node': { base: 'raw-node', limit: 2 },
  'sluice-uws': { base: 'raw-node', limit: 1 },
  'sluice-express': { base: 'express-res', limit: 2 },
  'sluice-fastify': { base: 'fastify-sse', limit: 2 },
  'sluice-bun': { base: 'raw-bun' },
  'raw-node': {},
  'express-res': {},
  'fastify-sse': {},
  'raw-bun': {},
  hono: {},
}
export const IDLE_TARGETS = Object.keys(IDLE)

/**
 * Issue 20's targets. Ratios are server CPU per operation, the bare side's over sluice's
 * (the rates move with the shared machine; the CPU columns less).
 */
export const GOALS = {
  json: { 'raw-node': 0.9, 'fastify-sse': 0.9, 'express-res': 0.9, 'raw-uws': 0.8 } as Record<string, number>,
  open: { 'raw-node': 0.8 } as Record<string, number>,
  /** Server CPU µs per flood event, at most. */
  floodCpu: { 'sluice-node': 0.5, 'sluice-uws': 0.5 } as Record<string, number>,
  /** Fan-out capacity against every peer, at least. */
  fanout: 1,
}

/** Targets that run on Bun (bench/src/bun-server.ts) instead of Node. */
export const BUN_TARGETS = new Set(['sluice-bun', 'raw-bun'])

export function prefixOf(target: string): string {
  return target.split('@')[0] === 'orpc' ? '/rpc' : ''
}

/** What a run was asked for, kept in its results file so `--resume` continues it as it was. */
export interface Plan {
  rounds: number
  targets: string[]
  idleTargets: string[]
  only: string[]
  /** Whether the finished run writes BENCHMARKS.md (a full run of every scenario and target). */
  report: boolean
}

export interface Results {
  date: string
  quick: boolean
  seconds?: number
  /** Rounds finished; a run saves its file after each one. */
  roundsDone?: number
  plan?: Plan
  config: Record<string, number>
  machine: { cpu: string; cores: number; node: string; bun?: string; load: string; wrk: string }
  json: Record<string, { rps: number; cpuPerRequest: number }[]>
  open: Record<string, { rps: number; cpuPerRequest: number }[]>
  flood: Record<string, { rate: number; cpuPerEvent: number }[]>
  fanout: Record<string, { capacity: number; rate70: number; p50: number; p99: number; delivered: number }[]>
  idle: Record<
    string,
    { heapPerStream: number; rssPerStream: number; heapGrowth: number; rssGrowth: number }[]
  >
}
