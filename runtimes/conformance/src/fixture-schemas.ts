import { z } from 'zod'

/** Query numbers: whole, >= 0, bounded. */
export const count = z.coerce.number().int().min(0).max(100_000)
/** A caller-chosen name for a stream, to ask `/finalized` about it. */
export const tag = z.string().min(1).max(100)
