import type { Message } from '../hub'

/** A running bench server. Every target serves the same routes (see README.md). */
export interface BenchServer {
  /** Sends one fan-out message to every `/sub` subscriber. */
  publish(message: Message): void
  /** Open `/sub` subscriptions. */
  subscribers(): number
  close(): Promise<void> | void
}

export type StartServer = (port: number) => Promise<BenchServer>

/** The JSON answer every `/json` route sends. */
export const JSON_BODY = { id: 1, name: 'sluice', ok: true }

/** `/flood?n=N`: how many events, from the query. */
export function floodCount(url: string | undefined): number {
  const match = /[?&]n=(\d+)/.exec(url ?? '')
  return match === null ? 1000 : Number(match[1])
}

/** The SSE frame of an event, as every raw loop writes it. */
export function frame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`
}
