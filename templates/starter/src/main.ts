// `npm start`: serves the starter app on PORT (default 3000).
import { app } from './app'
import { startServer } from './server'

const server = await startServer(app, {
  port: Number(process.env['PORT'] ?? 3000),
  host: process.env['HOST'],
})
console.log(`sluice starter: listening on ${server.url}`)

// Ctrl-C or a deploy: stop gracefully, so streaming clients reconnect and resume elsewhere.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)))
}
