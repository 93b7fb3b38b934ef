import { setTimeout as sleep } from 'node:timers/promises'
import { createFixtureApp } from '@sluice/conformance/fixture'
import { createFetchHandler } from '@sluice/fetch'
import { describe, expect, it } from 'vitest'
import { createClient, SluiceClientError } from '../../../cli/test/golden/fixture-client'

// The generated client of the fixture calling the app in-process: `fetch` is the app's fetch
// handler, so no socket, no port, and the same semantics as over HTTP, streams included.
function inProcess(options: Parameters<typeof createFixtureApp>[0] = {}) {
  const app = createFixtureApp(options)
  const waits: number[] = []
  const wait = (ms: number) => {
    waits.push(ms)
    return Promise.resolve()
  }
  const client = createClient({ baseUrl: 'http://app.test', fetch: createFetchHandler(app), retry: { wait } })
  const { finalized } = app.options.services as { finalized: Set<string> }
  return { client, finalized, waits }
}

const tagOf = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`

async function until(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 1000
  while (!check() && Date.now() < deadline) await sleep(10)
  return check()
}

describe('generated client with createFetchHandler as its fetch (in-process)', () => {
  it('makes plain calls and surfaces a 400 as a SluiceClientError', async () => {
    const { client } = inProcess()
    expect(await client.health()).toEqual({ ok: true })
    expect(await client.echo({ message: 'hello' })).toEqual({ message: 'hello' })
    const error = await client.echo({ message: '' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SluiceClientError)
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' })
  })

  it('streams with for await, then resolves the done value; a POST stream too', async () => {
    const { client } = inProcess()
    const call = client.getCount({ to: 5 })
    const seen: number[] = []
    for await (const { i } of call) seen.push(i)
    expect(seen).toEqual([1, 2, 3, 4, 5])
    expect(await call.result).toEqual({ total: 5 })
    const posted: number[] = []
    expect(await client.postCount({ to: 3 }, { onEvent: ({ i }) => void posted.push(i) })).toEqual({
      total: 3,
    })
    expect(posted).toEqual([1, 2, 3])
  })

  it('break cancels the body: the generator runs its finally', async () => {
    const { client, finalized } = inProcess()
    const tag = tagOf('break')
    const call = client.getForever({ tag })
    for await (const { n } of call) if (n === 3) break
    await expect(call.result).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(await until(() => finalized.has(tag))).toBe(true)
  })

  it('an AbortSignal reaches request.signal: a generator stuck on a promise is released', async () => {
    const { client, finalized } = inProcess()
    const tag = tagOf('hang')
    const controller = new AbortController()
    const call = client.hang({ tag }, { signal: controller.signal })
    const error = await (async () => {
      for await (const _ of call) controller.abort()
    })().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CANCELLED' })
    expect(await until(() => finalized.has(tag))).toBe(true)
  })

  it('resumes across maxDurationMs drops with no gap and no duplicate', async () => {
    const { client, waits } = inProcess({ maxDurationMs: 150 })
    const call = client.getCount({ to: 20, delayMs: 20 })
    const seen: number[] = []
    for await (const { i } of call) seen.push(i)
    expect(seen).toEqual(Array.from({ length: 20 }, (_, k) => k + 1))
    expect(await call.result).toEqual({ total: 20 })
    expect(waits.length).toBeGreaterThan(0)
  })

  it('surfaces an error event as a SluiceClientError, and auth as a 401', async () => {
    const { client } = inProcess()
    const seen: number[] = []
    const error = await (async () => {
      for await (const { i } of client.fail({ after: 2, kind: 'wire' })) seen.push(i)
    })().catch((e: unknown) => e)
    expect(seen).toEqual([1, 2])
    expect(error).toMatchObject({ code: 'FAILED', message: 'The job failed on purpose' })
    await expect(client.private()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
  })
})
