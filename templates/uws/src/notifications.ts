import { randomUUID } from 'node:crypto'
import { defineFunction } from '@sluice/core'
import { z } from 'zod'
import type { EventHub } from './hub'

const Notification = z.object({ id: z.string(), from: z.string(), text: z.string(), at: z.string() })

/** A notification as the hub carries it and the client receives it. */
export type Notification = z.infer<typeof Notification>

/** The signed-in user, as `authenticate` returns it. */
export interface User {
  id: string
}

// Both routes are wired with `auth: true`, so `session` is always what `authenticate` returned.
const userOf = (session: unknown): User => session as User

/**
 * Per-user notifications: `notifications` streams the signed-in user's own, `notify` sends
 * one to another user. Only users connected at that moment receive it.
 */
export function createNotifications(hub: EventHub<Notification>) {
  const notifications = defineFunction({
    event: Notification,
    func: async function* ({ session, signal }) {
      // The subscription ends (and unsubscribes) when the client leaves: core aborts `signal`.
      for await (const notification of hub.subscribe(userOf(session).id, signal)) yield notification
    },
  })

  const notify = defineFunction({
    input: z.object({ to: z.string().min(1), text: z.string().min(1).max(500) }),
    output: z.object({ delivered: z.number() }),
    func: ({ input, session }) => {
      const notification = {
        id: randomUUID(),
        from: userOf(session).id,
        text: input.text,
        at: new Date().toISOString(),
      }
      return { delivered: hub.publish(input.to, notification) }
    },
  })

  return { notifications, notify }
}
