/** The page's element with this id, checked to be of the expected type. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id)
  if (!(found instanceof type)) throw new Error(`The page has no <${type.name}> #${id}`)
  return found
}

/** One line of an event log: a kind (its class, for colour), a short tag, a text, and an optional aside. */
export interface LogLine {
  kind: 'step' | 'meta' | 'reconnect' | 'done' | 'error'
  tag?: string
  text: string
  extra?: string
  /** The time shown; `clock()` (to the millisecond) by default. */
  time?: string
  /** `data-*` attributes, so tests (and curious readers of the DOM) can find a line by what it means. */
  data?: Record<string, string>
}

/** Appends a line to a log (newest last, scrolled into view) or, with `newestFirst`, prepends it. */
export function appendLog(
  list: HTMLOListElement,
  line: LogLine,
  options: { newestFirst?: boolean } = {},
): void {
  const item = document.createElement('li')
  item.className = line.kind
  Object.assign(item.dataset, line.data)
  const cells: [string, string | undefined][] = [
    ['time', line.time ?? clock()],
    ['tag', line.tag],
    ['text', line.text],
    ['extra', line.extra],
  ]
  for (const [name, text] of cells) {
    if (text !== undefined)
      item.append(Object.assign(document.createElement('span'), { className: name, textContent: text }))
  }
  if (options.newestFirst === true) list.prepend(item)
  else {
    list.append(item)
    list.scrollTop = list.scrollHeight
  }
}

/** The local time as `HH:MM:SS.mmm`: events a few ms apart still read as distinct. */
export function clock(date = new Date()): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}
