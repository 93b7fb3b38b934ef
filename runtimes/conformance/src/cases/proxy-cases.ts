import { expect } from 'vitest'
import { json, readFrames, type Frame } from '../sse-reader'
import type { SuiteContext } from '../suite-context'

// Where the out-of-process runtimes can load it without vitest.
export { corsFixture } from '../fixture-cors'

const ORIGIN = 'http://app.example'
// Long enough for any machine; the bound only turns "never arrives" into a clear failure.
const NEVER_MS = 5_000

/** What `expectUnbuffered` needs: where to stream from, and how to reach `/release`. */
export interface GatedOptions {
  /** Request headers for the stream (e.g. `accept-encoding: gzip`). */
  headers?: Record<string, string>
  /** Base URL of `/release`; default the stream's (a proxy in between is fine). */
  releaseBase?: string
}

/**
 * Streams `/gated` and proves nothing on the way holds events back: event 1 must arrive while
 * the generator still waits for the release, which only this client sends after reading it.
 * No timing is measured; a buffered event never arrives and the bound fails the test.
 */
export async function expectUnbuffered(base: string, options: GatedOptions = {}): Promise<Response> {
  const tag = `gated-${Math.random().toString(36).slice(2)}`
  const client = new AbortController()
  const open = async (): Promise<[Response, AsyncGenerator<Frame, void, undefined>, Frame]> => {
    const response = await fetch(`${base}/gated?tag=${tag}`, {
      headers: { accept: 'text/event-stream', ...options.headers },
      signal: client.signal,
    })
    if (response.status !== 200)
      throw new Error(`/gated answered ${response.status}: ${await response.text()}`)
    const frames = readFrames(response)
    return [response, frames, await nextEvent(frames)]
  }
  try {
    // A proxy that buffers may hold back the headers too, so the bound covers them as well.
    const [response, frames, first] = await within(open(), 'event 1 did not arrive before the release')
    expect(json(first)).toEqual({ step: 1 })
    const release = await fetch(`${options.releaseBase ?? base}/release?tag=${tag}`)
    expect(await release.json()).toEqual({ released: true })
    expect(json(await nextEvent(frames))).toEqual({ step: 2 })
    const done = await nextEvent(frames)
    expect([done.event, json(done)]).toEqual(['done', { steps: 2 }])
    return response
  } finally {
    client.abort()
  }
}

async function nextEvent(frames: AsyncGenerator<Frame, void, undefined>): Promise<Frame> {
  for (;;) {
    const next = await frames.next()
    if (next.done === true) throw new Error('the stream ended early')
    if (next.value.data !== undefined) return next.value
  }
}

function within<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const bound = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), NEVER_MS)),
  )
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer))
}

const has = (list: string | null, name: string): boolean =>
  (list ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes(name)

/** Events reach the client one by one, and core's `cors` option works alike on every runtime. */
export function proxyCases({ url, test }: SuiteContext): void {
  test('each event arrives before the generator takes its next step', async () => {
    await expectUnbuffered(url())
  })

  test('CORS: a preflight for Authorization and Last-Event-ID names the exact origin', async () => {
    const response = await fetch(`${url('cors')}/count`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,last-event-id',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(has(response.headers.get('access-control-allow-methods'), 'get')).toBe(true)
    const allowed = response.headers.get('access-control-allow-headers')
    expect(has(allowed, 'authorization') && has(allowed, 'last-event-id')).toBe(true)
    expect(response.headers.get('access-control-max-age')).toBe('600')
    expect(has(response.headers.get('vary'), 'origin')).toBe(true)
    expect(await response.text()).toBe('')
  })

  test('CORS: a preflight for a JSON POST allows POST and Content-Type', async () => {
    const response = await fetch(`${url('cors')}/echo`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(has(response.headers.get('access-control-allow-methods'), 'post')).toBe(true)
    expect(has(response.headers.get('access-control-allow-headers'), 'content-type')).toBe(true)
  })

  test('CORS: another origin gets no Access-Control headers, on a preflight or an answer', async () => {
    const preflight = await fetch(`${url('cors')}/count`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    })
    const answer = await fetch(`${url('cors')}/health`, { headers: { origin: 'http://evil.example' } })
    for (const response of [preflight, answer]) {
      const names = [...response.headers.keys()].filter((name) => name.startsWith('access-control-'))
      expect(names).toEqual([])
      expect(has(response.headers.get('vary'), 'origin')).toBe(true)
    }
    expect(answer.status).toBe(200)
  })

  test('CORS: a credentialed stream echoes the exact origin and resumes after Last-Event-ID', async () => {
    const response = await fetch(`${url('cors')}/count?to=3`, {
      headers: { origin: ORIGIN, authorization: 'Bearer ok', 'last-event-id': '1' },
    })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    // The heartbeat period too, which a browser's client reads to notice a dead connection.
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id, sluice-heartbeat-ms')
    const events: unknown[] = []
    for await (const frame of readFrames(response)) if (frame.data !== undefined) events.push(json(frame))
    expect(events).toEqual([{ i: 2 }, { i: 3 }, { total: 3 }])
  })

  test('CORS: a progressive stream and an error answer carry the headers too', async () => {
    const stream = await fetch(`${url('cors')}/status`, {
      headers: { origin: ORIGIN, accept: 'text/event-stream' },
    })
    expect(stream.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const vary = stream.headers.get('vary')
    expect(has(vary, 'accept') && has(vary, 'origin')).toBe(true)
    await stream.body?.cancel()
    // The browser only lets the page read a 401 (to ask for a login) when it carries them.
    const refused = await fetch(`${url('cors')}/private`, { headers: { origin: ORIGIN } })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(refused.headers.get('access-control-allow-credentials')).toBe('true')
  })

  test('without the cors option there are no Access-Control headers', async () => {
    const response = await fetch(`${url()}/health`, { headers: { origin: ORIGIN } })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
}
