import type { App } from './create-app'
import type { Route } from './route'

/** The unique name of every route, as `wireHTTP` decided it (`route.contract.name`). */
export function routeNames(app: App): Map<Route, string> {
  return new Map(app.routes.map((route) => [route, route.contract.name]))
}

/**
 * Decides every route's name: its explicit `name`, else its static path segments in camelCase
 * (`/jobs/:id/progress` -> `jobsProgress`), prefixed with the method when two routes would
 * share one (`getCount`, `postCount`). Throws when two names clash. `named` are the routes
 * whose `contract.name` was given explicitly and is not yet settled.
 */
export function assignNames(routes: readonly Route[], named: readonly Route[]): Map<Route, string> {
  const explicit = (route: Route): string | undefined =>
    named.includes(route) || explicitNames.has(route) ? route.contract.name : undefined
  const derived = new Map(routes.map((route) => [route, explicit(route) ?? fromPath(route.path)]))
  const counts = new Map<string, number>()
  for (const name of derived.values()) counts.set(name, (counts.get(name) ?? 0) + 1)
  const names = new Map<Route, string>()
  for (const [route, name] of derived) {
    const unique = explicit(route) !== undefined || counts.get(name) === 1
    names.set(route, unique ? name : camel([route.method.toLowerCase(), name]))
  }
  const seen = new Map<string, Route>()
  for (const [route, name] of names) {
    const other = seen.get(name)
    if (other !== undefined) {
      throw new Error(
        `sluice: ${other.method} ${other.path} and ${route.method} ${route.path} are both named "${name}"; give one another name`,
      )
    }
    seen.set(name, route)
  }
  for (const route of named) explicitNames.add(route)
  return names
}

// Routes whose name was given, so a later wiring does not derive it again from the path.
const explicitNames = new WeakSet<Route>()

function fromPath(path: string): string {
  const words = path.split(/[/\-_.]/).filter((part) => part !== '' && !part.startsWith(':'))
  return words.length === 0 ? 'root' : camel(words)
}

function camel(words: string[]): string {
  return words
    .map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() : word.charAt(0).toUpperCase()) + word.slice(1))
    .join('')
}
