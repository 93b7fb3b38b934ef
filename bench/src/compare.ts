// Dev aid: medians (min–max) per target of a results file, e.g. an A/B run of two builds.
//   node --import tsx bench/src/compare.ts bench/results/ab.json
import { readFileSync } from 'node:fs'
import type { Results } from './plan'

const results = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Results
const median = (values: number[]): string => {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  const m = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
  const f = (n: number): string => (Math.abs(n) >= 100 ? Math.round(n).toString() : n.toFixed(3))
  return `${f(m)} (${f(s[0] as number)}–${f(s[s.length - 1] as number)})`
}
for (const scenario of ['json', 'open', 'flood', 'fanout', 'idle'] as const) {
  const table = results[scenario] as Record<string, Record<string, number>[]>
  for (const [target, rows] of Object.entries(table)) {
    const keys = Object.keys(rows[0] ?? {})
    console.log(
      scenario.padEnd(7),
      target.padEnd(24),
      keys.map((k) => `${k} ${median(rows.map((r) => r[k] as number))}`).join('  '),
    )
  }
}
