import { eventIdPattern } from '@sluice/core'
import { z } from 'zod'

/** Query numbers: whole, >= 0, bounded. */
export const count = z.coerce.number().int().min(0).max(100_000)
/** A caller-chosen name for a stream, to ask `/finalized` about it. */
export const tag = z.string().min(1).max(100)
/** An event id the client sends back as `Last-Event-ID`: refused as a 400 before `withEvent` throws. */
export const eventId = z.string().max(200).regex(eventIdPattern, 'must be visible ASCII, spaces only between')
