import { style } from './to-type-source'

/** How a bracketed list prints: one line when it fits, else one item per line, as Prettier would. */
export interface ListStyle {
  /** Spaces inside the brackets on one line: `{ a, b }` rather than `<a, b>`. */
  pad: boolean
  /** A comma after the last item once broken (call arguments, imports; not type arguments). */
  trailing: boolean
}

/** `open` + items + `close` on one line of at most 110 characters, else broken one item per line. */
export function printList(
  indent: string,
  open: string,
  items: string[],
  close: string,
  list: ListStyle,
): string {
  const space = list.pad ? ' ' : ''
  const line = `${indent}${open}${space}${items.join(', ')}${space}${close}`
  if (line.length <= style.printWidth || items.length === 0) return line
  const body = items.map((item, i) => `${indent}  ${item}${list.trailing || i < items.length - 1 ? ',' : ''}`)
  return [`${indent}${open}`, ...body, `${indent}${close}`].join('\n')
}

/** Type arguments: `Name<A, B>`. */
export const typeArgs: ListStyle = { pad: false, trailing: false }
/** Call arguments: `f(a, b)`. */
export const callArgs: ListStyle = { pad: false, trailing: true }
/** Named imports and exports: `{ a, b }`. */
export const namedImports: ListStyle = { pad: true, trailing: true }

/** An object key: bare when it is an identifier, else quoted. */
export function toKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : toStringLiteral(name)
}

/** A single-quoted string literal. */
export function toStringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/** Text safe inside a `/** ... *\/` comment, on one line. */
export function toCommentText(text: string): string {
  return (text.split(/\r\n|\r|\n/)[0] ?? '').replace(/\*\//g, '*\\/').trim()
}
