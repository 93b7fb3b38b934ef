// Parsers of the raw RESP2 replies the hub reads. The hub sends its commands with `sendCommand`
// on RESP2 connections, so these shapes do not depend on node-redis's typed transforms.

/** One stream entry: its id and its field/value list. */
export interface RawEntry {
  id: string
  fields: string[]
}

/** What the hub needs from `XINFO STREAM`. */
export interface StreamInfo {
  lastId: string
  /** The first entry's id; undefined for an empty stream. */
  firstId: string | undefined
  /** Entries in the stream now. */
  length: number
  /** Entries ever added (Redis 7+); more than `length` once trimming has removed some. */
  entriesAdded: number | undefined
}

/** `XRANGE` (and one stream of `XREAD`): `[[id, [field, value, ...]], ...]`. */
export function toEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) throw unexpected('a list of entries', reply)
  return reply.map((entry: unknown) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw unexpected('an entry', entry)
    const fields: unknown = entry[1]
    return { id: entry[0], fields: Array.isArray(fields) ? fields.map(String) : [] }
  })
}

/** `XREAD`: `null` when it timed out, else `[[key, entries], ...]`. */
export function toStreams(reply: unknown): [key: string, entries: RawEntry[]][] {
  if (reply === null) return []
  if (!Array.isArray(reply)) throw unexpected('XREAD streams', reply)
  return reply.map((stream: unknown) => {
    if (!Array.isArray(stream) || typeof stream[0] !== 'string') throw unexpected('an XREAD stream', stream)
    return [stream[0], toEntries(stream[1])]
  })
}

/** `XINFO STREAM`: a flat `[name, value, ...]` list. */
export function toStreamInfo(reply: unknown): StreamInfo {
  if (!Array.isArray(reply)) throw unexpected('XINFO STREAM', reply)
  const info = new Map<string, unknown>()
  for (let i = 0; i + 1 < reply.length; i += 2) info.set(String(reply[i]), reply[i + 1])
  const lastId = info.get('last-generated-id')
  if (typeof lastId !== 'string') throw unexpected('last-generated-id', lastId)
  const firstEntry = info.get('first-entry')
  const firstId: unknown = Array.isArray(firstEntry) ? (firstEntry as unknown[])[0] : undefined
  const entriesAdded = info.get('entries-added')
  return {
    lastId,
    firstId: typeof firstId === 'string' ? firstId : undefined,
    length: Number(info.get('length') ?? 0),
    entriesAdded: entriesAdded === undefined ? undefined : Number(entriesAdded),
  }
}

/** The value of `field` in an entry, if it has one. */
export function fieldOf(entry: RawEntry, field: string): string | undefined {
  for (let i = 0; i + 1 < entry.fields.length; i += 2)
    if (entry.fields[i] === field) return entry.fields[i + 1]
  return undefined
}

function unexpected(what: string, reply: unknown): Error {
  return new Error(
    `sluice: unexpected Redis reply for ${what}: ${(JSON.stringify(reply) as string | undefined)?.slice(0, 200) ?? String(reply)}`,
  )
}
