import { describe, expect, it } from 'vitest'
import { createCaller, type KindEvent } from '../src'
import { createFakeFetch, recordedRetry, sseResponse } from './fake-fetch'

const OPEN = ': sluice stream open\nretry: 2000\n\n'
const done = 'event: done\ndata: {"ok":true}\n\n'

type Event = KindEvent<'log', { line: string }> | KindEvent<'message', { note: string }>

// Bytes a server of another version (or a broken proxy) could send: the client stays typed and safe.
function caller(body: string) {
  const { fetch } = createFakeFetch([sseResponse(body)])
  return createCaller({ baseUrl: 'http://127.0.0.1:1', fetch, retry: recordedRetry().retry })
}

describe('a stream with several kinds, against what a server may send', () => {
  it('skips an event of a kind the client does not know, data unread, and goes on', async () => {
    const body = `${OPEN}event: audit\ndata: not json\n\nevent: log\ndata: {"line":"x"}\n\ndata: {"note":"n"}\n\n${done}`
    const kinds = caller(body).events<undefined, Event, { ok: boolean }>('GET', '/k', ['log', 'message'])
    const call = kinds()
    const seen: Event[] = []
    for await (const e of call) seen.push(e)
    expect(seen).toEqual([
      { event: 'log', data: { line: 'x' }, id: undefined },
      { event: 'message', data: { note: 'n' }, id: undefined },
    ])
    expect(await call.result).toEqual({ ok: true })
  })

  it('rejects with BAD_RESPONSE naming the event when a known kind carries data that is not JSON', async () => {
    const kinds = caller(`${OPEN}event: log\ndata: {line\n\n${done}`).events('GET', '/k', ['log'])
    await expect(kinds().result).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: 'The data of a "log" event is not JSON',
    })
  })

  it('names message and done too, and cuts a long name short', async () => {
    const plain = caller(`${OPEN}data: nope\n\n`).stream('GET', '/s')
    await expect(plain().result).rejects.toMatchObject({
      message: 'The data of a "message" event is not JSON',
    })
    const ending = caller(`${OPEN}event: done\ndata: nope\n\n`).stream('GET', '/s')
    await expect(ending().result).rejects.toMatchObject({ message: 'The data of a "done" event is not JSON' })
    const long = 'x'.repeat(100)
    const named = caller(`${OPEN}event: ${long}\ndata: nope\n\n`).stream('GET', '/s')
    await expect(named().result).rejects.toMatchObject({
      message: `The data of a "${'x'.repeat(40)}..." event is not JSON`,
    })
  })
})
