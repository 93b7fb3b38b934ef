import { setTimeout as sleep } from 'node:timers/promises'
import { expect } from 'vitest'
import { collectEvents, json, readFrames } from '../sse-reader'
import type { SuiteContext } from '../suite-context'

const SSE = { accept: 'text/event-stream' }

async function untilFinalized(base: string, tag: string): Promise<boolean> {
  const deadline = Date.now() + 1000
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/finalized?tag=${tag}`)
    if (((await response.json()) as { finalized: boolean }).finalized) return true
    await sleep(20)
  }
  return false
}

const newTag = (prefix: string): string => `${prefix}-${Math.random().toString(36).slice(2)}`

/** What frameworks tend to get wrong: header lists, HEAD, POST streams, stuck generators, load. */
export function frameworkCases({ url, test }: SuiteContext): void {
  test('several Set-Cookie headers arrive as separate headers', async () => {
    const response = await fetch(`${url()}/cookies`)
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie()).toEqual([
      'first=1; Path=/; HttpOnly',
      'second=2; Path=/; SameSite=Lax',
    ])
  })

  test('HEAD on a JSON route answers its headers and no body', async () => {
    const response = await fetch(`${url()}/health`, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('content-length')).toBe('11')
    expect(await response.text()).toBe('')
  })

  test('HEAD on a stream answers the stream headers and no body', async () => {
    const response = await fetch(`${url()}/count?to=3`, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(await response.text()).toBe('')
  })

  test('repeated query keys arrive as an array', async () => {
    const response = await fetch(`${url()}/merge/1?tag=a&tag=b&tag=c`, { method: 'POST' })
    expect(await response.json()).toEqual({ input: { id: '1', tag: ['a', 'b', 'c'] } })
  })

  test('a POST reads its body, then streams', async () => {
    const response = await fetch(`${url()}/count`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...SSE },
      body: JSON.stringify({ to: 3 }),
    })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const events = await collectEvents(response)
    expect(events.map((e) => json(e))).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }, { total: 3 }])
  })

  test('aborting a POST stream runs the generator finally', async () => {
    const tag = newTag('post-abort')
    const controller = new AbortController()
    const response = await fetch(`${url()}/forever`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tag }),
      signal: controller.signal,
    })
    let events = 0
    for await (const frame of readFrames(response)) if (frame.data !== undefined && ++events === 2) break
    controller.abort()
    expect(await untilFinalized(url(), tag)).toBe(true)
  })

  test('a generator stuck on a promise is released through signal when the client leaves', async () => {
    const tag = newTag('hang')
    const controller = new AbortController()
    const response = await fetch(`${url()}/hang?tag=${tag}`, { signal: controller.signal })
    for await (const frame of readFrames(response)) if (frame.data !== undefined) break
    controller.abort()
    expect(await untilFinalized(url(), tag)).toBe(true)
  })

  test('200 concurrent streams all complete correctly', async () => {
    const expected = [...Array.from({ length: 20 }, (_, k) => ({ i: k + 1 })), { total: 20 }]
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const events = await collectEvents(await fetch(`${url()}/count?to=20&delayMs=5`, { headers: SSE }))
        return events.map((e) => json(e))
      }),
    )
    for (const events of results) expect(events).toEqual(expected)
  })
}
