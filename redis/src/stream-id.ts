// Redis stream ids are `<ms>-<seq>`, two unsigned 64-bit integers. Compared as digit strings
// (length, then text) so no precision is lost and no BigInt is needed on the hot path.
const ID = /^(\d{1,20})-(\d{1,20})$/

/** The id before every entry: XRANGE and XREAD after it start at the beginning. */
export const ZERO_ID = '0-0'

/** The id in canonical form (no leading zeros), or `undefined` when it is not a stream id. */
export function toStreamId(id: string): string | undefined {
  const match = ID.exec(id)
  if (match === null) return undefined
  return `${trimZeros(match[1] ?? '')}-${trimZeros(match[2] ?? '')}`
}

/** Negative, zero or positive as `a` is before, equal to or after `b` (both canonical ids). */
export function compareIds(a: string, b: string): number {
  const dashA = a.indexOf('-')
  const dashB = b.indexOf('-')
  return (
    compareDigits(a.slice(0, dashA), b.slice(0, dashB)) ||
    compareDigits(a.slice(dashA + 1), b.slice(dashB + 1))
  )
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

function trimZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '')
}
