// `npm start`: serves the starter app on PORT (default 3000), with Fastify's request log.
import { app } from './app'
import { startServer } from './server'

const port = Number(process.env['PORT'] ?? 3000)
const server = await startServer(app, { port, host: process.env['HOST'], logger: true })
console.log(`sluice starter (fastify): listening on ${server.url}`)

// Ctrl-C or a deploy: stop gracefully, so streaming clients reconnect and resume elsewhere.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)))
}
