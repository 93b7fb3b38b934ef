// Dev aid: sums self time per function (or per file with --by-url) of a .cpuprofile, top N.
// `node --import tsx bench/src/profile-sum.ts <file.cpuprofile> [--by-url] [--top 40]`
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}

const args = process.argv.slice(2)
const file = args[0] ?? ''
const byUrl = args.includes('--by-url')
const topIndex = args.indexOf('--top')
const top = topIndex === -1 ? 40 : Number(args[topIndex + 1])
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const self = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const node = byId.get(id)
  const delta = profile.timeDeltas[i] ?? 0
  if (node === undefined) return
  const { functionName, url, lineNumber } = node.callFrame
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/bench\//, '')
  const key = byUrl ? short || '(native)' : `${functionName || '(anon)'} ${short}:${lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + delta)
  total += delta
})
const idle = self.get('(idle) :0') ?? 0
console.log(`total ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`)
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top)
for (const [key, us] of rows) {
  console.log(
    `${((us / (total - idle)) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`,
  )
}
