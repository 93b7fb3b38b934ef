import { expect } from 'vitest'
import { collectEvents, json, readFrames, type Frame } from '../sse-reader'
import type { SuiteContext } from '../suite-context'

const SSE = { accept: 'text/event-stream' }

/** The wire protocol: headers, framing, ids, done, errors, negotiation, heartbeats, injection. */
export function streamCases({ url, test }: SuiteContext): void {
  test('GET /count streams ids 1..N then done, with the SSE headers', async () => {
    const response = await fetch(`${url()}/count?to=3`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(response.headers.get('x-accel-buffering')).toBe('no')
    // Never one that overrides the client's: this fetch keeps its connection (connection-cases.ts).
    expect(response.headers.get('connection')).not.toBe('close')
    const text = await response.text()
    expect(text).toMatch(/^: [^\n]*\nretry: \d+\n\n/)
    const body = text.slice(text.indexOf('\n\n') + 2)
    expect(body).toBe(
      'id: 1\ndata: {"i":1}\n\nid: 2\ndata: {"i":2}\n\nid: 3\ndata: {"i":3}\n\nevent: done\ndata: {"total":3}\n\n',
    )
  })

  test('GET /count resumes after Last-Event-ID', async () => {
    const response = await fetch(`${url()}/count?to=5`, { headers: { ...SSE, 'last-event-id': '3' } })
    const events = await collectEvents(response)
    expect(events.map((e) => [e.event, e.id, json(e)])).toEqual([
      [undefined, '4', { i: 4 }],
      [undefined, '5', { i: 5 }],
      ['done', undefined, { total: 5 }],
    ])
  })

  test('invalid stream input is a 400 before any byte of stream', async () => {
    const response = await fetch(`${url()}/count?to=-1`, { headers: SSE })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  test('GET /status without SSE answers its value as JSON', async () => {
    const response = await fetch(`${url()}/status`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('vary')?.toLowerCase()).toContain('accept')
    expect(await response.json()).toEqual({ state: 'initial' })
  })

  test('GET /status with SSE streams initial, pending and done, then done', async () => {
    const response = await fetch(`${url()}/status`, { headers: SSE })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const events = await collectEvents(response)
    expect(events.map((e) => [e.event, json(e)])).toEqual([
      [undefined, { state: 'initial' }],
      [undefined, { state: 'pending' }],
      [undefined, { state: 'done' }],
      ['done', null],
    ])
  })

  test('GET /fail with kind=wire sends K events then the WireError', async () => {
    const events = await collectEvents(await fetch(`${url()}/fail?after=2&kind=wire`))
    expect(events.map((e) => [e.event, json(e)])).toEqual([
      [undefined, { i: 1 }],
      [undefined, { i: 2 }],
      ['error', { code: 'FAILED', message: 'The job failed on purpose' }],
    ])
  })

  test('GET /fail with kind=crash sends INTERNAL with a generic message only', async () => {
    for (const env of [undefined, 'production', 'development']) {
      const before = process.env['NODE_ENV']
      if (env === undefined) delete process.env['NODE_ENV']
      else process.env['NODE_ENV'] = env
      try {
        const text = await (await fetch(`${url()}/fail?after=1&kind=crash`)).text()
        expect(text).toContain(
          'event: error\ndata: {"code":"INTERNAL","message":"Internal server error"}\n\n',
        )
        expect(text).not.toMatch(/secret|internal\.ts|\/srv|at /)
      } finally {
        process.env['NODE_ENV'] = before
      }
    }
  })

  test('GET /named sends the event name and id it was given', async () => {
    const events = await collectEvents(await fetch(`${url()}/named?event=tick&id=a-1`))
    expect(events[0]).toMatchObject({ event: 'tick', id: 'a-1' })
    expect(json(events[0])).toEqual({ event: 'tick', id: 'a-1' })
    expect(events[1]?.event).toBe('done')
  })

  test('GET /named refuses injection attempts with a 400 and writes no stream', async () => {
    const attempts = [
      { event: 'x\ndata: injected', id: '1' },
      { event: 'x', id: '1\r\nevent: evil' },
      { event: 'x', id: '1\rretry: 1' },
      { event: 'x', id: '1\0' },
      { event: 'done', id: '1' },
      { event: 'error', id: '1' },
      { event: '', id: '1' },
    ]
    for (const attempt of attempts) {
      const response = await fetch(`${url()}/named?${new URLSearchParams(attempt).toString()}`, {
        headers: SSE,
      })
      expect(response.status).toBe(400)
      const body = (await response.json()) as { error: { code: string } }
      expect(body.error.code).toBe('VALIDATION_ERROR')
    }
  })

  test('headers are flushed at once, before any event exists', async () => {
    const controller = new AbortController()
    const response = await fetch(`${url()}/quiet`, { signal: controller.signal })
    expect(response.status).toBe(200)
    const first = await readFrames(response).next()
    expect(first.value?.comments.length).toBeGreaterThan(0)
    controller.abort()
  })

  test('a stream names its heartbeat period in Sluice-Heartbeat-Ms; a JSON answer does not', async () => {
    for (const [server, period] of [
      ['heartbeat', '100'],
      ['main', '15000'],
    ] as const) {
      const controller = new AbortController()
      const response = await fetch(`${url(server)}/quiet`, { signal: controller.signal })
      expect(response.headers.get('sluice-heartbeat-ms')).toBe(period)
      controller.abort()
    }
    const json = await fetch(`${url('heartbeat')}/health`)
    expect(json.headers.has('sluice-heartbeat-ms')).toBe(false)
    await json.body?.cancel()
  })

  test('an idle stream gets heartbeat comments', async () => {
    const controller = new AbortController()
    const response = await fetch(`${url('heartbeat')}/quiet`, { signal: controller.signal })
    const frames = readFrames(response)
    await frames.next() // the opening line
    const ping = await frames.next()
    expect(ping.value).toEqual({ comments: ['ping'] })
    controller.abort()
  })

  test('concurrent idle streams each get heartbeats, also after the first one left', async () => {
    // One stream's ping must not depend on another's request: runtimes that tie timers and
    // promises to the request that made them (workerd) would starve the second stream.
    const first = new AbortController()
    const second = new AbortController()
    try {
      const a = readFrames(await fetch(`${url('heartbeat')}/quiet`, { signal: first.signal }))
      await nextPing(a)
      const b = readFrames(await fetch(`${url('heartbeat')}/quiet`, { signal: second.signal }))
      await nextPing(b)
      first.abort()
      await nextPing(b)
    } finally {
      first.abort()
      second.abort()
    }
  })

  test('a busy stream gets no heartbeat', async () => {
    // Events every 5 ms against a 100 ms heartbeat: the stream is never idle long enough.
    const text = await (await fetch(`${url('heartbeat')}/count?to=10&delayMs=5`)).text()
    expect(text).not.toContain(': ping')
    expect(text).toContain('event: done')
  })
}

// Long enough for any machine at a 100 ms heartbeat; the bound turns "never" into a failure.
const PING_BOUND_MS = 3000

async function nextPing(frames: AsyncGenerator<Frame, void, undefined>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ping within ${PING_BOUND_MS} ms`)), PING_BOUND_MS)
  })
  const ping = (async () => {
    for (;;) {
      const next = await frames.next()
      if (next.done === true) throw new Error('the stream ended before a ping')
      if (next.value.comments.includes('ping')) return
    }
  })()
  try {
    await Promise.race([ping, bound])
  } finally {
    clearTimeout(timer)
  }
}
