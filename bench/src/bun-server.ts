// One Bun bench target as a process of its own: `bun dist/bun-server.mjs <target> <port>`.
// The runner talks to it over Node's IPC channel, which Bun speaks (control.ts).
import { serveControl } from './control'
import { rawBun } from './servers/raw-bun'
import { sluiceBun } from './servers/sluice-bun'
import type { StartServer } from './servers/types'

const servers: Record<string, StartServer> = { 'sluice-bun': sluiceBun, 'raw-bun': rawBun }

const [name = '', portText = '0'] = process.argv.slice(2)
const start = servers[name]
if (start === undefined) throw new Error(`unknown Bun target ${name}`)
serveControl(await start(Number(portText)))
