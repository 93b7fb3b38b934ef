import type { Route } from './wire-http'

/** How a route answers: a JSON value, always a stream, or JSON unless the client asks for a stream. */
export type RouteKind = 'json' | 'stream' | 'progressive'

/**
 * How a route answers, decided without running its function (the OpenAPI export and the
 * client generator both need it):
 * - an `async function*` always streams: its constructor is `AsyncGeneratorFunction`, which
 *   survives bundling and minifying since it is a built-in;
 * - otherwise `sse: true` is progressive: JSON, or a stream when `Accept` asks for one;
 * - otherwise an `event` schema means a stream: events only exist in one, so the function
 *   returns some other async iterable (a subscription);
 * - otherwise JSON. A function that returns an async iterable without an `event` schema looks
 *   like JSON from here: give it an `event` schema to have it documented as a stream.
 */
export function toRouteKind(route: Route): RouteKind {
  if (route.func.func.constructor.name === 'AsyncGeneratorFunction') return 'stream'
  if (route.sse) return 'progressive'
  return route.func.event === undefined ? 'json' : 'stream'
}
