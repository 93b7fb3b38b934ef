/** An HTTP method a route can be wired to, as the generated client names it. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** What a generated client knows of a route: its method and its path with `:param` segments. */
export interface RouteSpec {
  method: RouteMethod
  path: string
}

/** The URL and JSON body of one call. */
export interface RequestParts {
  url: string
  body: string | undefined
}

type Scalar = string | number | boolean | bigint

/**
 * Spreads an input over the request the server merges it from: `:param` segments from their
 * keys, the rest as the query (GET, DELETE; an array is a repeated key) or as a JSON body.
 * Throws a TypeError for an input the server could not read back.
 */
export function toRequestParts(baseUrl: string, route: RouteSpec, input: unknown): RequestParts {
  const rest = isPlainObject(input) ? { ...input } : undefined
  const path = route.path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? toPathValue(route, segment.slice(1), rest) : segment))
    .join('/')
  const url = baseUrl + path
  if (route.method === 'GET' || route.method === 'DELETE') {
    if (rest === undefined && input !== undefined) {
      throw new TypeError(`sluice: the input of ${route.method} ${route.path} must be an object`)
    }
    const query = toQuery(rest ?? {})
    return { url: query === '' ? url : `${url}?${query}`, body: undefined }
  }
  if (input === undefined) return { url, body: undefined }
  // A body that is not an object is the whole input: the server takes it as is when there are no params.
  return { url, body: JSON.stringify(rest ?? input) }
}

/** The headers of one attempt: the client's (computed afresh), the call's, then the protocol's own. */
export async function toHeaders(
  // Structural, not `ResolvedClient`: options.ts imports this module's types.
  client: { headers: () => Promise<Record<string, string>> },
  callHeaders: Record<string, string> | undefined,
  protocol: Record<string, string | undefined>,
): Promise<Headers> {
  const headers = new Headers(await client.headers())
  for (const [name, value] of Object.entries(callHeaders ?? {})) headers.set(name, value)
  for (const [name, value] of Object.entries(protocol)) if (value !== undefined) headers.set(name, value)
  return headers
}

// Takes the param out of `rest`: the same key in the path and the query or body is a 400 on the server.
function toPathValue(route: RouteSpec, name: string, rest: Record<string, unknown> | undefined): string {
  const value = rest?.[name]
  if (!isScalar(value) || String(value) === '') {
    throw new TypeError(`sluice: ${route.method} ${route.path} needs the path parameter "${name}"`)
  }
  if (rest !== undefined) Reflect.deleteProperty(rest, name)
  return encodeURIComponent(String(value))
}

function toQuery(values: Record<string, unknown>): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      // The server's query has no syntax for objects or null: refuse them rather than send "[object Object]".
      if (!isScalar(item))
        throw new TypeError(`sluice: the query value "${key}" must be a string, number or boolean`)
      query.append(key, String(item))
    }
  }
  return query.toString()
}

function isScalar(value: unknown): value is Scalar {
  const type = typeof value
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint'
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
