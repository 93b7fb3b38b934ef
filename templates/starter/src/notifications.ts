import { createMemoryHub, defineFunction, type EventHub } from '@sluice/core'
import { z } from 'zod'

const Notification = z.object({ from: z.string(), text: z.string(), at: z.string() })

/** A notification as the hub carries it and the client receives it. */
export type Notification = z.infer<typeof Notification>

/** One topic per user: `user:alice` carries alice's notifications. */
export type NotificationHub = EventHub<{ [topic: `user:${string}`]: Notification }>

/** The hub `npm start` uses: in memory, one process. `@sluice/redis` gives every process the same. */
export const createNotificationHub = (): NotificationHub => createMemoryHub()

/** The signed-in user, as `authenticate` returns it. */
export interface User {
  id: string
}

// Both routes are wired with `auth: true`, so `session` is always what `authenticate` returned.
const userOf = (session: unknown): User => session as User

/**
 * Per-user notifications: `notifications` streams the signed-in user's own, `notify` sends one
 * to a user. A user who reconnects with `Last-Event-ID` first gets what they missed.
 */
export function createNotifications(hub: NotificationHub) {
  const notifications = defineFunction({
    event: Notification,
    func: async function* ({ session, signal, lastEventId }) {
      // Replays what came after lastEventId, then follows live; each event carries the hub's id.
      // The subscription ends (and unsubscribes) when the client leaves: core aborts `signal`.
      yield* hub.subscribe(`user:${userOf(session).id}`, { signal, lastEventId })
    },
  })

  const notify = defineFunction({
    input: z.object({ to: z.string().regex(/^[\w-]{1,64}$/), text: z.string().min(1).max(500) }),
    output: z.object({ id: z.string() }),
    func: async ({ input, session }) => {
      const notification = { from: userOf(session).id, text: input.text, at: new Date().toISOString() }
      return { id: await hub.publish(`user:${input.to}`, notification) }
    },
  })

  return { notifications, notify }
}
