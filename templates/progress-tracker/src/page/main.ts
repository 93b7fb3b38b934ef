// The demo page's script: bundled by esbuild when the server starts, served as /app.js.
import { createJobPanel } from './job-panel'
import { runStatusPanel } from './status-panel'

// The API is served by the same server as the page, so the page's origin is the client's base URL.
createJobPanel(location.origin)
void runStatusPanel(location.origin)
