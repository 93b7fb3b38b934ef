// One Node bench target as a process of its own: `node --expose-gc dist/server.mjs <target> <port>`.
// The runner talks to it over IPC (control.ts).
import { serveControl } from './control'
import { servers } from './servers/index'

const [name = '', portText = '0'] = process.argv.slice(2)
const start = servers[name]
if (start === undefined) throw new Error(`unknown target ${name}`)
serveControl(await start(Number(portText)))
