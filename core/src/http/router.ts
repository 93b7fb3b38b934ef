/** The outcome of a lookup: a match with its params, a path known under other methods, or nothing. */
export type RouteMatch<T> =
  | { kind: 'found'; value: T; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' }
  | { kind: 'malformed-path' }

type Found<T> = Extract<RouteMatch<T>, { kind: 'found' }>

// An exact path has no params: one frozen record shared by every match of it.
const noParams: Record<string, string> = Object.freeze({})

interface Pattern<T> {
  segments: string[]
  byMethod: Map<string, T>
}

/**
 * A small router: exact paths in a map (the common case costs one lookup), patterns with
 * `:param` segments in a list. Knows every method of a path, so a wrong method is a 405.
 */
export class Router<T> {
  // Each exact path's answer per method, made once when wired: a lookup allocates nothing.
  private readonly exact = new Map<string, Map<string, Found<T>>>()
  private readonly patterns: Pattern<T>[] = []

  /** Adds a route; a duplicate method and path is a wiring bug and throws. */
  add(method: string, path: string, value: T): void {
    const upper = method.toUpperCase()
    // `/jobs/:id` and `/jobs/:jobId` match the same requests, so the second would be unreachable.
    const shape = toShape(path.split('/'))
    const shadowed = this.patterns.some((p) => p.byMethod.has(upper) && toShape(p.segments) === shape)
    const exact = path.includes('/:') ? undefined : this.exactFor(path)
    const byMethod = exact ?? this.patternFor(path)
    if (byMethod.has(upper) || shadowed) throw new Error(`sluice: ${upper} ${path} is wired twice`)
    if (exact === undefined) this.patternFor(path).set(upper, value)
    else exact.set(upper, { kind: 'found', value, params: noParams })
  }

  /** Finds the route for a method and a decoded-on-demand path. HEAD falls back to GET. */
  find(method: string, path: string): RouteMatch<T> {
    // A path may match several entries (`/users/me` and `/users/:id`, or patterns wired with
    // different param names); the first that has the method wins, else a 405 lists them all.
    const exact = this.exact.get(path)
    // The common case, an exact path wired for this method, allocates no `allow` list.
    const direct = exact?.get(method) ?? (method === 'HEAD' ? exact?.get('GET') : undefined)
    if (direct !== undefined) return direct
    const allow = new Set<string>()
    if (exact !== undefined) for (const known of exact.keys()) allow.add(known)
    if (exact?.has('GET') === true) allow.add('HEAD')
    const parts = path.split('/')
    for (const pattern of this.patterns) {
      const params = matchSegments(pattern.segments, parts)
      if (params === 'invalid') return { kind: 'malformed-path' }
      const match = params === undefined ? undefined : pick(pattern.byMethod, method, params, allow)
      if (match !== undefined) return match
    }
    if (allow.size > 0) return { kind: 'method-not-allowed', allow: [...allow] }
    return { kind: 'not-found' }
  }

  private exactFor(path: string): Map<string, Found<T>> {
    let byMethod = this.exact.get(path)
    if (byMethod === undefined) this.exact.set(path, (byMethod = new Map<string, Found<T>>()))
    return byMethod
  }

  private patternFor(path: string): Map<string, T> {
    const segments = path.split('/')
    const same = this.patterns.find((p) => p.segments.join('/') === segments.join('/'))
    if (same !== undefined) return same.byMethod
    const pattern: Pattern<T> = { segments, byMethod: new Map() }
    this.patterns.push(pattern)
    return pattern.byMethod
  }
}

function pick<T>(
  byMethod: Map<string, T>,
  method: string,
  params: Record<string, string>,
  allow: Set<string>,
): RouteMatch<T> | undefined {
  const value = byMethod.get(method) ?? (method === 'HEAD' ? byMethod.get('GET') : undefined)
  if (value !== undefined) return { kind: 'found', value, params }
  for (const known of byMethod.keys()) allow.add(known)
  if (byMethod.has('GET')) allow.add('HEAD')
  return undefined
}

function toShape(segments: string[]): string {
  return segments.map((segment) => (segment.startsWith(':') ? ':' : segment)).join('/')
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined | 'invalid' {
  if (segments.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string
    const part = parts[i] as string
    if (segment.startsWith(':')) {
      if (part === '') return undefined
      const decoded = safeDecode(part)
      if (decoded === undefined) return 'invalid'
      params[segment.slice(1)] = decoded
    } else if (segment !== part) return undefined
  }
  return params
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part)
  } catch {
    return undefined
  }
}
