import { randomUUID } from 'node:crypto'
import { createClient, MultiErrorReply, type RedisClientOptions } from '@redis/client'
import {
  checkTopic,
  encodeHubData,
  HubEvent,
  hubDefaults,
  HubSubscription,
  type EventHub,
  type HubStats,
  type SubscribeOptions,
  type TopicMap,
} from '@sluice/core/hub'
import { fieldOf, type RawEntry } from './replies'
import { readPosition, Replay, type Transaction } from './replay'
import { StreamReader } from './stream-reader'

/** Options of `createRedisHub`. */
export interface RedisHubOptions {
  /** `redis[s]://[[user][:password]@]host[:port][/db]`; default `redis://localhost:6379`. */
  url?: string
  /** More node-redis client options (TLS, credentials, reconnect strategy). */
  clientOptions?: Omit<RedisClientOptions, 'url' | 'RESP'>
  /** Prefix of every key the hub writes. Default `sluice:`. */
  keyPrefix?: string
  /** Entries kept per topic (`XADD ... MAXLEN ~ N`, so at least N, trimmed in whole nodes). Default 1000. */
  historyPerTopic?: number
  /** Live events one subscriber may leave unread before it ends with `SlowConsumerError`. Default 1024. */
  maxQueuedPerSubscriber?: number
  /** A topic's stream expires about this long (0.9 to 1 times) after its last publish. Default 1 hour. */
  topicTtlMs?: number
  /** How long one XREAD blocks when nothing happens (new topics wake it at once). Default 5000. */
  blockMs?: number
  /** Told about connection trouble and unreadable entries. Default: `console.error`. */
  onError?: (error: unknown) => void
}

/**
 * The event hub on Redis Streams, so every server process sees every topic and a client can
 * resume on any of them: a topic is the stream `<prefix>topic:<name>`, each publish one
 * `XADD ... MAXLEN ~ N`, each id a stream id. A process holds two connections whatever its
 * number of subscribers: one for writes and replays, and one that blocks in a single `XREAD`
 * over every subscribed topic. Resolves once both are connected; rejects if Redis cannot be reached.
 */
export async function createRedisHub<M extends TopicMap = TopicMap>(
  options: RedisHubOptions = {},
): Promise<EventHub<M>> {
  const prefix = options.keyPrefix ?? 'sluice:'
  const history = options.historyPerTopic ?? hubDefaults.historyPerTopic
  const maxQueued = options.maxQueuedPerSubscriber ?? hubDefaults.maxQueuedPerSubscriber
  const ttl = String(options.topicTtlMs ?? hubDefaults.topicTtlMs)
  const onError = options.onError ?? ((error: unknown) => console.error('sluice: redis hub:', error))
  // A Redis that cannot be reached at start-up fails `createRedisHub` at once (a wrong URL
  // should not hang the boot); once connected, a lost connection is retried with backoff.
  let connected = false
  const socket = options.clientOptions?.socket
  const reconnectStrategy = (retries: number, cause: Error) =>
    connected ? Math.min(2000, 50 * 2 ** retries) : cause
  // RESP2 replies are plain arrays, the shapes the parsers in replies.ts expect.
  const writer = createClient({
    ...options.clientOptions,
    socket: { ...socket, reconnectStrategy: socket?.reconnectStrategy ?? reconnectStrategy },
    url: options.url,
    RESP: 2,
  })
  const blocking = writer.duplicate()
  writer.on('error', onError)
  blocking.on('error', onError)
  try {
    await Promise.all([writer.connect(), blocking.connect()])
  } catch (error) {
    writer.destroy()
    blocking.destroy()
    throw error
  }
  connected = true

  const send = (args: string[]) => writer.sendCommand(args)
  const transaction: Transaction = async (commands) => {
    const multi = writer.multi()
    for (const command of commands) multi.addCommand(command)
    try {
      return await multi.exec()
    } catch (error) {
      // A command's error reply stays in its place, as the caller reads each reply itself.
      if (error instanceof MultiErrorReply) return error.replies
      throw error
    }
  }
  const wakeKey = `${prefix}wake:${randomUUID()}`
  const toEvent = (entry: RawEntry): HubEvent<unknown> | undefined => {
    try {
      return new HubEvent(entry.id, JSON.parse(fieldOf(entry, 'd') ?? '') as unknown)
    } catch (error) {
      onError(new Error(`sluice: stream entry ${entry.id} has no JSON "d" field`, { cause: error }))
      return undefined
    }
  }
  const reader = new StreamReader({
    connection: blocking,
    wakeKey,
    wake: () =>
      Promise.all([send(['XADD', wakeKey, 'MAXLEN', '1', '*', 'w', '1']), send(['PEXPIRE', wakeKey, ttl])]),
    blockMs: options.blockMs ?? 5000,
    count: Math.max(1, Math.min(256, Math.floor(maxQueued / 4))),
    toEvent,
    onError,
  })
  const open = new Map<HubSubscription<unknown>, string>()
  let closed = false

  const expiry = createExpiry(Number(ttl))
  const publish = async (topic: string, data: unknown): Promise<string> => {
    checkTopic(topic)
    const key = `${prefix}topic:${topic}`
    const added = send(['XADD', key, 'MAXLEN', '~', String(history), '*', 'd', encodeHubData(data)])
    const [id] = await Promise.all([added, expiry.due(key) ? send(['PEXPIRE', key, ttl]) : undefined])
    if (typeof id !== 'string') throw new Error(`sluice: XADD answered ${JSON.stringify(id)}`)
    return id
  }

  const subscribe = (topic: string, { signal, lastEventId, onReset }: SubscribeOptions<unknown>) => {
    checkTopic(topic)
    const key = `${prefix}topic:${topic}`
    const from = lastEventId === '' ? undefined : lastEventId
    // Sent now, before any later publish of this process: nothing published after this call is missed.
    const position = readPosition(send, key, from)
    const replay = new Replay({ send, transaction, key, lastEventId: from, onReset, toEvent, pageSize: 256 })
    const subscription: HubSubscription<unknown> = new HubSubscription({
      signal,
      maxQueued,
      replay: replay.next,
      release: () => {
        open.delete(subscription)
        reader.remove(key, subscription)
      },
    })
    if (closed) void subscription.return()
    if (!subscription.open) return subscription
    open.set(subscription, topic)
    const ready = position.then((found) => {
      if (subscription.open)
        replay.catchUpTo(reader.add(key, replay.start(found), found.lastId, subscription))
    })
    replay.waitFor(ready)
    void ready.catch((error: unknown) => subscription.fail(error))
    return subscription
  }

  const stats = (): HubStats => ({ topics: new Set(open.values()).size, subscribers: open.size })

  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    for (const subscription of [...open.keys()]) void subscription.return()
    reader.stop()
    blocking.destroy() // ends the blocked XREAD now
    await send(['DEL', wakeKey]).catch(onError)
    await writer.close()
  }

  // Inside, data is `unknown`; the topic map types the hub at its interface.
  return { publish, subscribe, stats, close } as unknown as EventHub<M>
}

// A topic's TTL is refreshed by at most one publish per tenth of it (per process), so a stream
// expires between 0.9 and 1 TTL after its last publish, at half the commands of a PEXPIRE each.
function createExpiry(ttlMs: number): { due(key: string): boolean } {
  const refreshed = new Map<string, number>()
  return {
    due(key) {
      const now = Date.now()
      const last = refreshed.get(key)
      if (last !== undefined && now - last < ttlMs / 10) return false
      if (refreshed.size >= 10_000)
        for (const [k, at] of refreshed) if (now - at >= ttlMs / 10) refreshed.delete(k)
      refreshed.set(key, now)
      return true
    },
  }
}
