import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStarterApp } from '../src/app'
import { createClient, SluiceClientError, type Client } from '../src/client.gen'
import { startServer } from '../src/server'

// The generated client against the app, served in-process on a free port.
let server: Awaited<ReturnType<typeof startServer>>
let client: Client
beforeAll(async () => {
  server = await startServer(createStarterApp({ statusDelayMs: 20, buildDurationMs: 200 }), { port: 0 })
  client = createClient({ baseUrl: server.url })
})
afterAll(() => server.close())

describe('a plain route', () => {
  it('answers typed JSON', async () => {
    const build = await client.startBuild({ projectId: 'web' })
    expect(build.projectId).toBe('web')
    expect(build.buildId).toMatch(/^[\da-f-]{36}$/)
  })

  it('answers invalid input with a 400 that names the field', async () => {
    const error = await client.startBuild({ projectId: 'no spaces' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SluiceClientError)
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' })
    expect((error as SluiceClientError).details).toMatchObject({ issues: [{ path: ['projectId'] }] })
  })

  it('leaves the paths it does not route to the framework', async () => {
    const home = await fetch(server.url)
    expect(await home.text()).toMatch(/^sluice on/)
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404)
  })
})

describe('the build watcher (a generator)', () => {
  it('streams { status, progress } until complete, then the typed result', async () => {
    const { buildId } = await client.startBuild({ projectId: 'api' })
    const call = client.watchBuild({ buildId })
    const progress: number[] = []
    for await (const event of call) {
      progress.push(event.progress)
      expect(event.status).toBe(event.progress === 100 ? 'complete' : 'building')
    }
    expect(progress.at(-1)).toBe(100)
    expect(progress).toEqual([...new Set(progress)].sort((a, b) => a - b)) // rising, no repeats
    expect(await call.result).toEqual({ buildId, projectId: 'api' })
    expect(call.lastEventId).toBe('100')
  })

  it('resumes after the last event id it is given', async () => {
    const { buildId } = await client.startBuild({ projectId: 'api' })
    const seen: number[] = []
    await client.watchBuild({ buildId }, { lastEventId: '50', onEvent: (e) => void seen.push(e.progress) })
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((progress) => progress > 50)).toBe(true)
  })

  it('answers an unknown build with a real 404, not a stream', async () => {
    const error = await client.watchBuild({ buildId: 'nope' }).result.catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' })
  })
})

describe('the status route (progressive)', () => {
  it('answers { state: "initial" } as JSON to a plain call', async () => {
    expect(await client.status()).toEqual({ state: 'initial' })
  })

  it('streams initial, pending, done to a client that asks for a stream', async () => {
    const call = client.status.stream()
    const states: string[] = []
    for await (const { state } of call) states.push(state)
    expect(states).toEqual(['initial', 'pending', 'done'])
    expect(await call.result).toBeNull() // the channel closed without a value
  })
})
