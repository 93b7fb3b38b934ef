// Medians, spreads and markdown for the report (report.ts, report-sections.ts).

/** The median and the range of one measure over the rounds. */
export interface Stat {
  median: number
  min: number
  max: number
}

/** One of issue 20's targets, as measured: a row of the report's targets table. */
export interface Goal {
  scenario: string
  target: string
  measured: string
  /** Undefined when the run did not measure one of the two sides. */
  ok: boolean | undefined
}

/** A goal from its measured value (undefined: not measured), how to print it, and its test. */
export function toGoal(
  scenario: string,
  target: string,
  value: number | undefined,
  format: (n: number) => string,
  ok: (n: number) => boolean,
): Goal {
  return value === undefined
    ? { scenario, target, measured: 'not measured', ok: undefined }
    : { scenario, target, measured: format(value), ok: ok(value) }
}

export function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 }
}

/** The stat of `pick` over a target's rows, or undefined when the target was not measured. */
export const of = <T>(rows: T[] | undefined, pick: (row: T) => number): Stat | undefined =>
  rows === undefined || rows.length === 0 ? undefined : stat(rows.map(pick))

export const int = (n: number): string => Math.round(n).toLocaleString('en-US')
export const fixed = (n: number, digits = 1): string => n.toFixed(digits)
export const spread = (s: Stat, format: (n: number) => string): string =>
  `${format(s.median)} (${format(s.min)}–${format(s.max)})`
export const ratio = (a: number, b: number): string => (b === 0 ? '–' : `${(a / b).toFixed(2)}x`)
export const mark = (ok: boolean | undefined): string => (ok === undefined ? '' : ok ? 'met' : '**missed**')

export function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}
