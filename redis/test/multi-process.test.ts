import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createMemoryHub } from '@sluice/core'
import type { ClientOptions, StreamCall } from '@sluice/client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { generateClient } from '../../cli/src/generate/generate-client'
import { createHubApp, type FeedTopics } from './hub-app'
import { INSTALL_TIMEOUT_MS, startRedisServer, type RedisServer } from './redis-server'
import { startTcpProxy, type TcpProxy } from './tcp-proxy'

const root = fileURLToPath(new URL('../../', import.meta.url))
type Event = FeedTopics[string]

/** The part of the generated client this test uses. */
interface FeedClient {
  feed(input: { topic: string }, options?: { lastEventId?: string }): StreamCall<Event, unknown>
}

interface Server {
  child: ChildProcess
  url: string
  port: number
}

/** Starts hub-server.ts under tsx on a runtime; resolves once it listens. */
async function startServer(runtime: string, redisUrl: string, prefix: string): Promise<Server> {
  const script = join(root, 'redis/test/hub-server.ts')
  const args = ['--import', 'tsx', script, '--runtime', runtime, '--redis', redisUrl, '--prefix', prefix]
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (\S+)/.exec(output)
      if (match?.[1] !== undefined) resolve(match[1])
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${runtime} server exited with ${code}:\n${output}`)))
  })
  return { child, url, port: Number(new URL(url).port) }
}

async function publishTo(server: Server, topic: string, n: number): Promise<{ id: string; pid: number }> {
  const response = await fetch(`${server.url}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic, n }),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { id: string; pid: number }
}

/** The generated client of the test app, written to a temporary file and imported. */
async function loadClient(dir: string): Promise<(options: ClientOptions) => FeedClient> {
  const importPath = join(root, 'client/src/index.ts')
  const source = await generateClient(createHubApp(createMemoryHub()), { importPath })
  const file = join(dir, 'client.ts')
  await writeFile(file, source)
  const module = (await import(pathToFileURL(file).href)) as {
    createClient: (o: ClientOptions) => FeedClient
  }
  return module.createClient
}

describe('two server processes on different runtimes sharing one Redis', () => {
  let redis: RedisServer | undefined
  let a: Server | undefined
  let b: Server | undefined
  let proxy: TcpProxy | undefined
  let dir = ''
  let createClient: (options: ClientOptions) => FeedClient

  beforeAll(async () => {
    redis = await startRedisServer()
    const prefix = `multi:${randomUUID()}:`
    dir = await mkdtemp(join(tmpdir(), 'sluice-client-'))
    ;[a, b, createClient] = await Promise.all([
      startServer('node', redis.url, prefix),
      startServer('fastify', redis.url, prefix),
      loadClient(dir),
    ])
    proxy = await startTcpProxy([a.port, b.port])
  }, INSTALL_TIMEOUT_MS)

  afterAll(async () => {
    for (const server of [a, b]) server?.child.kill('SIGKILL')
    await proxy?.close()
    await redis?.stop()
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('streams what B publishes from A, and resumes on B with no gap and no duplicate when A is killed', async () => {
    if (a === undefined || b === undefined || proxy === undefined) throw new Error('setup failed')
    const [serverA, serverB] = [a, b]
    const sent: Headers[] = []
    const fetchCounting: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers))
      return fetch(input, init)
    }
    const client = createClient({ baseUrl: proxy.url, fetch: fetchCounting })
    const topic = `builds-${randomUUID()}`
    // Start after an event published first, so the stream misses nothing whenever it subscribes.
    const start = await publishTo(serverB, topic, 0)
    const call = client.feed({ topic }, { lastEventId: start.id })
    const seen: { n: number; pid: number; id: string | undefined }[] = []
    let failure: unknown
    const reading = (async () => {
      for await (const event of call) {
        seen.push({ ...event, id: call.lastEventId })
        if (seen.length === 15) break
      }
    })().catch((error: unknown) => (failure = error))
    const until = (count: number) =>
      vi.waitFor(
        () => {
          if (failure !== undefined) throw failure as Error // the stream failed: say why
          expect(seen).toHaveLength(count)
        },
        { timeout: 10_000 },
      )
    const published: string[] = []
    const publish = async (from: number, to: number) => {
      for (let n = from; n <= to; n++) published.push((await publishTo(serverB, topic, n)).id)
    }

    await publish(1, 5)
    await until(5)
    const exited = new Promise((resolve) => serverA.child.once('exit', resolve))
    serverA.child.kill('SIGKILL') // mid-stream: the client's connection drops with it
    await exited
    await publish(6, 10) // while the client reconnects: B must replay these from Redis
    await until(10)
    await publish(11, 15) // and then follow live
    await reading
    expect(failure).toBeUndefined()

    expect(seen.map((event) => event.n)).toEqual(Array.from({ length: 15 }, (_, k) => k + 1))
    expect(seen.map((event) => event.id)).toEqual(published)
    expect(new Set(seen.map((event) => event.pid))).toEqual(new Set([serverB.child.pid]))
    // One connection through A, then one through B that resumed after the last id seen on A.
    expect(proxy.routed).toEqual([serverA.port, serverB.port])
    expect(sent.map((headers) => headers.get('last-event-id'))).toEqual([start.id, published[4]])
  }, 30_000)

  it('tells the generated client when its id cannot be resumed: a 409 REPLAY_GAP, no reconnect', async () => {
    if (b === undefined) throw new Error('setup failed')
    const topic = `gone-${randomUUID()}`
    await publishTo(b, topic, 1)
    const call = createClient({ baseUrl: b.url }).feed({ topic }, { lastEventId: '1-0' })
    await expect(call.result).rejects.toMatchObject({ code: 'REPLAY_GAP', status: 409 })
  })
})
