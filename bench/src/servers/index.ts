import { betterSseServer } from './better-sse'
import { expressRes } from './express-res'
import { fastifySseServer } from './fastify-sse'
import { honoServer } from './hono'
import { orpcServer } from './orpc'
import { rawNode } from './raw-node'
import { rawUws } from './raw-uws'
import { sluiceExpress, sluiceFastify, sluiceNode, sluiceUws } from './sluice'
import type { StartServer } from './types'

/** Every bench target by name. */
export const servers: Record<string, StartServer> = {
  'sluice-node': sluiceNode,
  'sluice-express': sluiceExpress,
  'sluice-fastify': sluiceFastify,
  'sluice-uws': sluiceUws,
  'raw-node': rawNode,
  'express-res': expressRes,
  'fastify-sse': fastifySseServer,
  'raw-uws': rawUws,
  orpc: orpcServer,
  'better-sse': betterSseServer,
  hono: honoServer,
}
