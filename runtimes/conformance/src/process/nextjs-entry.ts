import { createFetchHandler } from '@sluice/fetch'
import { createFixtureApp } from '../fixture-app'
import { toFixtureOptions } from '../fixture-settings'
import { nextjsVariants } from './nextjs-variants'

const handlers = new Map(
  Object.entries(nextjsVariants).map(([name, settings]) => [
    name,
    createFetchHandler(createFixtureApp(toFixtureOptions(settings))),
  ]),
)

/** What Next.js passes an App Router route handler next to the request. */
interface RouteContext {
  params: Promise<{ variant: string }>
}

/**
 * The catch-all route handler of runtimes/nextjs (`app/[variant]/[...path]/route.js`): picks the
 * variant's app by the first segment and hands it the request with that segment cut off.
 */
export async function handleNextjsRoute(request: Request, context: RouteContext): Promise<Response> {
  const { variant } = await context.params
  const handler = handlers.get(variant)
  if (handler === undefined) return Response.json({ error: { code: 'NOT_FOUND' } }, { status: 404 })
  const url = new URL(request.url)
  url.pathname = url.pathname.slice(variant.length + 1)
  const init: RequestInit & { duplex: 'half' } = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    duplex: 'half',
  }
  return handler(new Request(url, init))
}
