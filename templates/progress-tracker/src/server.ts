import { createServer } from 'node:http'
import { createNodeHandler } from '@sluice/node'
import { createTrackerApp } from './app'
import { page } from './page'

// The page and the API share one server, so trying the demo needs no separate dev server.
const sluice = createNodeHandler(createTrackerApp())
const server = createServer((req, res) => {
  if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
    return
  }
  sluice(req, res)
})

const port = Number(process.env['PORT'] ?? 3000)
server.listen(port, '127.0.0.1', () => {
  console.log(`progress tracker: listening on http://127.0.0.1:${port}`)
})
