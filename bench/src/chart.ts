/** One bar: a median with its min–max whisker; sluice's bars are highlighted. */
export interface Bar {
  label: string
  median: number
  min: number
  max: number
  highlight: boolean
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function format(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`
  if (n >= 100) return n.toFixed(0)
  return n.toFixed(2)
}

/** A horizontal bar chart as a standalone SVG document. */
export function barChart(title: string, unit: string, bars: Bar[], note: string): string {
  const left = 170
  const width = 760
  const plot = width - left - 90
  const row = 24
  const top = 46
  const height = top + bars.length * row + 36
  const max = Math.max(...bars.map((b) => b.max), 1e-9)
  const x = (v: number): number => left + (v / max) * plot
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="20" font-size="15" font-weight="600">${escape(title)}</text>`,
    `<text x="${left}" y="36" fill="#555">${escape(unit)}; ${escape(note)}</text>`,
  ]
  bars.forEach((bar, i) => {
    const y = top + i * row
    const fill = bar.highlight ? '#2563eb' : '#9ca3af'
    parts.push(
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(bar.median) - left).toFixed(1)}" height="${row - 8}" fill="${fill}"/>`,
      `<line x1="${x(bar.min).toFixed(1)}" x2="${x(bar.max).toFixed(1)}" y1="${y + row / 2 - 1}" y2="${y + row / 2 - 1}" stroke="#111" stroke-width="1.5"/>`,
      `<line x1="${x(bar.min).toFixed(1)}" x2="${x(bar.min).toFixed(1)}" y1="${y + 7}" y2="${y + row - 9}" stroke="#111"/>`,
      `<line x1="${x(bar.max).toFixed(1)}" x2="${x(bar.max).toFixed(1)}" y1="${y + 7}" y2="${y + row - 9}" stroke="#111"/>`,
      `<text x="${(x(bar.max) + 6).toFixed(1)}" y="${y + 15}" fill="#111">${format(bar.median)}</text>`,
    )
  })
  const axis = top + bars.length * row + 4
  parts.push(`<line x1="${left}" x2="${left + plot}" y1="${axis}" y2="${axis}" stroke="#999"/>`)
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4
    parts.push(
      `<text x="${x(v).toFixed(1)}" y="${axis + 16}" text-anchor="middle" fill="#555">${format(v)}</text>`,
    )
  }
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}
