import { HubEvent, ReplayGapError, type SubscribeOptions } from '@sluice/core/hub'
import { toEntries, toStreamInfo, type RawEntry, type StreamInfo } from './replies'
import { compareIds, toStreamId, ZERO_ID } from './stream-id'

/** Sends one command on the normal connection. */
export type Send = (args: string[]) => Promise<unknown>
/** Runs commands in one MULTI/EXEC, so their replies describe the same instant. */
export type Transaction = (commands: string[][]) => Promise<unknown[]>

/** Where a stream stands when a subscriber arrives. */
export interface Position {
  /** The stream's last id (`0-0` when it does not exist): a subscriber without an id starts here. */
  lastId: string
  /** `lastEventId` cannot be resumed: entries after it are gone, or it is not this stream's. */
  gap: boolean
}

/** Reads the stream's position and whether `lastEventId` can be resumed, with one `XINFO STREAM`. */
export async function readPosition(
  send: Send,
  key: string,
  lastEventId: string | undefined,
): Promise<Position> {
  const info = await readInfo(send(['XINFO', 'STREAM', key]))
  const lastId = info?.lastId ?? ZERO_ID
  if (lastEventId === undefined) return { lastId, gap: false }
  const id = toStreamId(lastEventId)
  return { lastId, gap: id === undefined || !resumable(id, info) }
}

// Trimming (MAXLEN) removes entries from the front and stream ids are not contiguous, so the
// one certain case is an id at or after the first entry kept: every entry after it is still
// there. An id before it is a gap, even when it happens to be the last one trimmed; `0-0` (a
// reset on an empty stream) is resumable while nothing was ever trimmed.
function resumable(id: string, info: StreamInfo | undefined): boolean {
  if (info === undefined) return id === ZERO_ID
  if (compareIds(id, info.lastId) >= 0) return compareIds(id, info.lastId) === 0
  return !lost(id, info)
}

/** What a subscription's replay needs. */
export interface ReplayOptions {
  send: Send
  transaction: Transaction
  key: string
  /** The id the subscriber has, as it sent it; `undefined` for none. */
  lastEventId: string | undefined
  onReset: SubscribeOptions<unknown>['onReset']
  toEvent: (entry: RawEntry) => HubEvent<unknown> | undefined
  /** Entries per XRANGE page. */
  pageSize: number
}

/**
 * One subscriber's way to the live stream: a reset event if its id could not be resumed, then
 * `(start, bound]` read with XRANGE, page by page, as it reads. Live entries (after `bound`)
 * queue meanwhile. Each page is read with `XINFO STREAM` in one MULTI, so an entry trimmed
 * while the subscriber was catching up is a gap (a reset, or `ReplayGapError`), never a skip.
 */
export class Replay {
  private after = ZERO_ID
  private bound: string | undefined
  private resetAt: string | undefined
  private ready: Promise<void> = Promise.resolve()

  constructor(private readonly options: ReplayOptions) {}

  /** Where the subscriber starts, given the stream's position; throws `ReplayGapError` for a gap without `onReset`. */
  start(position: Position): string {
    const { lastEventId, onReset } = this.options
    if (position.gap) {
      if (onReset === undefined) throw new ReplayGapError(lastEventId ?? '')
      this.resetAt = position.lastId
    }
    const from = position.gap || lastEventId === undefined ? position.lastId : toStreamId(lastEventId)
    this.after = from ?? position.lastId
    return this.after
  }

  /** The subscriber is registered: live entries come after `bound`, so replay reads up to it. */
  catchUpTo(bound: string): void {
    this.bound = bound
  }

  /** Replay waits for this (the position read and registration) before its first page. */
  waitFor(ready: Promise<void>): void {
    this.ready = ready
  }

  /** The next replayed events, `undefined` once caught up: a `ReplaySource`. */
  readonly next = async (): Promise<HubEvent<unknown>[] | undefined> => {
    await this.ready
    if (this.resetAt !== undefined) return [await this.reset(this.resetAt)]
    const { bound } = this
    if (bound === undefined || compareIds(this.after, bound) >= 0) return undefined
    const { key, pageSize } = this.options
    const [range, info] = await this.options.transaction([
      ['XRANGE', key, `(${this.after}`, bound, 'COUNT', String(pageSize)],
      ['XINFO', 'STREAM', key],
    ])
    const stream = await readInfo(Promise.resolve(info))
    if (stream === undefined || lost(this.after, stream)) return this.gap(bound)
    const entries = toEntries(range)
    this.after = entries.at(-1)?.id ?? bound
    return entries.map(this.options.toEvent).filter((event) => event !== undefined)
  }

  private async reset(position: string): Promise<HubEvent<unknown>> {
    this.resetAt = undefined
    const onReset = this.options.onReset ?? (() => undefined)
    return new HubEvent(position, await onReset(), true)
  }

  // Entries the subscriber had not read were trimmed: a reset at the live position, or the error.
  private async gap(bound: string): Promise<HubEvent<unknown>[]> {
    if (this.options.onReset === undefined) throw new ReplayGapError(this.after)
    this.after = bound
    return [await this.reset(bound)]
  }
}

// Whether entries after `after` (at most the last id) may have been trimmed.
function lost(after: string, info: StreamInfo): boolean {
  if (info.firstId !== undefined && compareIds(after, info.firstId) >= 0) return false
  const trimmed = info.entriesAdded === undefined || info.entriesAdded > info.length
  return after === ZERO_ID ? trimmed : compareIds(after, info.lastId) < 0
}

// `XINFO STREAM` of a stream that does not exist (never written, or expired) is an error reply.
async function readInfo(reply: Promise<unknown>): Promise<StreamInfo | undefined> {
  try {
    const value = await reply
    if (value instanceof Error) throw value
    return toStreamInfo(value)
  } catch (error) {
    if (error instanceof Error && /no such key/i.test(error.message)) return undefined
    throw error
  }
}
