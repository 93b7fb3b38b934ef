/** One SSE frame as the suite sees it: fields as written, comments kept. */
export interface Frame {
  event?: string
  id?: string
  data?: string
  retry?: number
  comments: string[]
}

/**
 * Reads frames from a fetch response, for the suite's assertions. Deliberately simple (the
 * server writes LF only); the full WHATWG parser is the client runtime's job.
 */
export async function* readFrames(response: Response): AsyncGenerator<Frame, void, undefined> {
  if (response.body === null) throw new Error('response has no body')
  const decoder = new TextDecoder()
  let buffered = ''
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true })
    let end: number
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      yield toFrame(block)
    }
  }
}

function toFrame(block: string): Frame {
  const frame: Frame = { comments: [] }
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comments.push(line.slice(1).trim())
      continue
    }
    const colon = line.indexOf(':')
    const name = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (name === 'data') data.push(value)
    else if (name === 'event') frame.event = value
    else if (name === 'id') frame.id = value
    else if (name === 'retry') frame.retry = Number(value)
  }
  if (data.length > 0) frame.data = data.join('\n')
  return frame
}

/** Reads frames until `done` or `error` (or the end), returning the events with data. */
export async function collectEvents(response: Response): Promise<Frame[]> {
  const events: Frame[] = []
  for await (const frame of readFrames(response)) {
    if (frame.data === undefined) continue
    events.push(frame)
    if (frame.event === 'done' || frame.event === 'error') break
  }
  return events
}

/** Parses an event's data as JSON. */
export function json(frame: Frame | undefined): unknown {
  if (frame?.data === undefined) throw new Error('frame has no data')
  return JSON.parse(frame.data)
}
