import type { CorsOptions } from '@sluice/core'

/** The fixture's `cors` variant: what a site serving its API to one front end would write. */
export const corsFixture: CorsOptions = {
  origin: ['http://app.example'],
  credentials: true,
  allowHeaders: ['authorization', 'content-type', 'last-event-id'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
}
