import type { EventFields } from './with-event'

// Every line ending the WHATWG parser recognises: CRLF, lone CR, lone LF.
const LINE_BREAK = /\r\n|\r|\n/

/**
 * Encodes one event. `data` is already a string (usually JSON); it is split on every line
 * ending so each line gets its own `data:` field. Fields must have passed `checkFields`.
 */
export function encodeEvent(data: string, fields?: EventFields): string {
  let frame = ''
  if (fields !== undefined) {
    if (fields.event !== undefined) frame += `event: ${fields.event}\n`
    if (fields.id !== undefined) frame += `id: ${fields.id}\n`
    if (fields.retry !== undefined) frame += `retry: ${fields.retry}\n`
  }
  // JSON.stringify never emits a raw line break, so the common case skips the split.
  if (!data.includes('\n') && !data.includes('\r')) return `${frame}data: ${data}\n\n`
  for (const line of data.split(LINE_BREAK)) frame += `data: ${line}\n`
  return `${frame}\n`
}

/** Encodes a comment line (heartbeats, the opening line). No CR or LF may be in `text`. */
export function encodeComment(text: string): string {
  return `: ${text}\n\n`
}

/** Encodes a value as JSON for `data:`; `undefined` becomes `null` so the field is never empty. */
export function encodeJson(value: unknown): string {
  // JSON.stringify returns undefined for undefined (and functions), despite its declared type.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return JSON.stringify(value) ?? 'null'
}
