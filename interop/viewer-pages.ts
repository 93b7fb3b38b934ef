// Swagger UI and Redoc pages on 127.0.0.1, loading only this folder's copies of their bundles
// and the fixture's documents: the browser test needs no network.
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { installed, type Documents } from './tools'

/** The pages' server: `url` is its origin; `close` stops it. */
export interface ViewerPages {
  url: string
  close(): Promise<void>
}

// `spec` is the document's path on this server; each page renders one document.
const pages = {
  swagger: (spec: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Swagger UI</title>
<link rel="stylesheet" href="/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '${spec}', dom_id: '#ui', deepLinking: true,
  defaultModelExpandDepth: 3, defaultModelsExpandDepth: -1 })</script></body></html>`,
  redoc: (spec: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Redoc</title></head>
<body><div id="redoc"></div><script src="/redoc.standalone.js"></script>
<script>Redoc.init('${spec}', { expandResponses: '200', hideLoading: true }, document.getElementById('redoc'))</script>
</body></html>`,
}

/** Serves `/swagger.html?spec=3.1`, `/redoc.html?spec=3.1` (or 3.2) and what they load. */
export async function serveViewerPages(documents: Documents): Promise<ViewerPages> {
  const files: Record<string, [string, string]> = {
    '/swagger-ui.css': [installed('swagger-ui-dist/swagger-ui.css'), 'text/css'],
    '/swagger-ui-bundle.js': [installed('swagger-ui-dist/swagger-ui-bundle.js'), 'text/javascript'],
    '/redoc.standalone.js': [installed('redoc/bundles/redoc.standalone.js'), 'text/javascript'],
    '/fixture-3.1.json': [documents['3.1'], 'application/json'],
    '/fixture-3.2.json': [documents['3.2'], 'application/json'],
  }
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const page = url.pathname.replace(/^\/|\.html$/g, '')
    const spec = `/fixture-${url.searchParams.get('spec') === '3.2' ? '3.2' : '3.1'}.json`
    if (page === 'swagger' || page === 'redoc') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[page](spec))
      return
    }
    const file = files[url.pathname]
    if (file === undefined) {
      response.writeHead(404).end()
      return
    }
    readFile(file[0]).then(
      (body) => response.writeHead(200, { 'content-type': file[1] }).end(body),
      () => response.writeHead(500).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
}
