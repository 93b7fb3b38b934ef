import type { App } from './create-app'
import type { Route } from './wire-http'

/**
 * A unique, stable name per route, for client methods and OpenAPI operationIds: the route's
 * `name`, else its static path segments in camelCase (`/jobs/:id/progress` -> `jobsProgress`),
 * prefixed with the method when two routes would share a name (`getCount`, `postCount`).
 */
export function routeNames(app: App): Map<Route, string> {
  const derived = new Map(app.routes.map((route) => [route, route.name ?? fromPath(route.path)]))
  const counts = new Map<string, number>()
  for (const name of derived.values()) counts.set(name, (counts.get(name) ?? 0) + 1)
  const names = new Map<Route, string>()
  for (const [route, name] of derived) {
    const unique = route.name !== undefined || counts.get(name) === 1
    names.set(route, unique ? name : camel([route.method.toLowerCase(), name]))
  }
  const seen = new Set<string>()
  for (const [route, name] of names) {
    if (seen.has(name)) throw new Error(`sluice: two routes are named "${name}"; give ${route.path} a name`)
    seen.add(name)
  }
  return names
}

function fromPath(path: string): string {
  const words = path.split(/[/\-_.]/).filter((part) => part !== '' && !part.startsWith(':'))
  return words.length === 0 ? 'root' : camel(words)
}

function camel(words: string[]): string {
  return words
    .map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() : word.charAt(0).toUpperCase()) + word.slice(1))
    .join('')
}
