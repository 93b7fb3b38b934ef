import { setTimeout as sleep } from 'node:timers/promises'
import { expect } from 'vitest'
import { openSocket as open, rebase } from '../raw-connection'
import { LEAKY_STREAMS, type SuiteContext } from '../suite-context'

function newTag(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2)}`
}

interface Ending {
  started: boolean
  finalized: boolean
}

async function ending(base: string, tag: string): Promise<Ending> {
  return (await (await fetch(`${base}/finalized?tag=${tag}`)).json()) as Ending
}

// Waits up to `ms` for each tag's generator to run its `finally` (or, with `ifStarted`, for
// those that started); returns the tags that did not.
async function unfinished(base: string, tags: readonly string[], ifStarted = false): Promise<string[]> {
  const deadline = Date.now() + 3000
  let left = [...tags]
  while (left.length > 0 && Date.now() < deadline) {
    const endings = await Promise.all(left.map((tag) => ending(base, tag)))
    left = left.filter((_, i) => {
      const { started, finalized } = endings[i] as Ending
      return !finalized && (started || !ifStarted)
    })
    if (left.length > 0) await sleep(20)
  }
  return left
}

function get(base: string, path: string): string {
  return rebase(
    `GET ${path} HTTP/1.1\r\nhost: ${new URL(base).host}\r\naccept: text/event-stream\r\n\r\n`,
    base,
  )
}

function post(base: string, path: string, body: unknown): string {
  const text = JSON.stringify(body)
  const head = `POST ${path} HTTP/1.1\r\nhost: ${new URL(base).host}\r\naccept: text/event-stream\r\n`
  return rebase(
    `${head}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    base,
  )
}

// Every slot is free again: as many fresh streams as the limit allows all open (200), then end.
async function expectFreeSlots(base: string): Promise<void> {
  const tags = Array.from({ length: LEAKY_STREAMS }, () => newTag('fresh'))
  const controller = new AbortController()
  const statuses = await Promise.all(
    tags.map(async (tag) => {
      const response = await fetch(`${base}/forever?tag=${tag}`, {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
      })
      return response.status
    }),
  )
  controller.abort()
  expect(statuses).toEqual(tags.map(() => 200))
  // Ended before the next case, which expects every slot free.
  expect(await unfinished(base, tags)).toEqual([])
}

/**
 * Streams whose client leaves at an awkward moment must still end: their generator's `finally`
 * runs and their stream slot is freed. Run on the `leaky` fixture (`maxStreams` 4, an
 * `authenticate` of 50 ms), where one leaked slot turns the next streams into 429s.
 */
export function leakCases({ url, test }: SuiteContext): void {
  test('clients that leave before the headers go out leave no generator or stream slot behind', async () => {
    const base = url('leaky')
    const tags = Array.from({ length: LEAKY_STREAMS }, () => newTag('early'))
    const sockets = await Promise.all(tags.map(() => open(base)))
    sockets.forEach((socket, i) => socket.write(get(base, `/forever?tag=${tags[i]}`)))
    // Well within `authenticate`'s 50 ms: the server has the request, not yet an answer.
    await sleep(10)
    for (const socket of sockets) socket.destroy()
    expect(await unfinished(base, tags)).toEqual([])
    await expectFreeSlots(base)
  })

  test('streams pipelined behind another on one socket all end when the socket goes', async () => {
    const base = url('leaky')
    const [a, d, c, b] = [newTag('piped-a'), newTag('piped-d'), newTag('piped-c'), newTag('piped-b')]
    const socket = await open(base)
    // The first bytes of A, or the server closing the connection.
    const first = new Promise<void>((resolve) => socket.once('data', resolve).once('close', resolve))
    // Node answers them in order: D, C and B wait, written to buffers, until A ends. `/hang`
    // waits for its signal; a POST's request ends (and closes) once its body is read.
    const requests = [
      get(base, `/forever?tag=${a}`),
      post(base, '/forever', { tag: d }),
      get(base, `/hang?tag=${c}`),
      get(base, `/forever?tag=${b}`),
    ]
    socket.write(requests.join(''))
    await Promise.race([first, sleep(2000)])
    socket.destroy()
    expect(await unfinished(base, [a])).toEqual([])
    // A runtime that never ran a pipelined request (uWS cuts the connection) has none to end.
    expect(await unfinished(base, [d, c, b], true)).toEqual([])
    await expectFreeSlots(base)
  })

  test('a progressive function that started sending, then failed, is stopped through its signal', async () => {
    const base = url('leaky')
    for (const kind of ['throw', 'invalid']) {
      const tag = newTag(`failed-${kind}`)
      const response = await fetch(`${base}/progressive-fail?tag=${tag}&kind=${kind}`, {
        headers: { accept: 'text/event-stream' },
      })
      expect(response.status).toBe(kind === 'throw' ? 409 : 500)
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      await response.body?.cancel()
      // Its interval records the tag once the signal aborted; it would tick on for 10 s.
      expect(await unfinished(base, [tag])).toEqual([])
    }
    await expectFreeSlots(base)
  })
}
