import { WireError } from '../errors/wire-error'

const decoder = new TextDecoder('utf-8', { fatal: true })
// Cheap pre-check before walking a parsed body: keys that could reach a prototype, or a
// \u escape that could spell one.
const SUSPICIOUS = /__proto__|constructor|\\u/

// Most requests have no query: one frozen record for all of them (it is only read).
const noQuery: Record<string, string | string[]> = Object.freeze({})

/** Parses query parameters into a plain object; a repeated key becomes an array. */
export function parseQuery(search: string): Readonly<Record<string, string | string[]>> {
  if (search === '') return noQuery
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === '__proto__') throw forbiddenKey(key)
    // Own keys only: `query.constructor` or `query.toString` would be Object.prototype's.
    const seen = Object.hasOwn(query, key) ? query[key] : undefined
    if (seen === undefined) query[key] = value
    else if (Array.isArray(seen)) seen.push(value)
    else query[key] = [seen, value]
  }
  return query
}

/**
 * Decodes a JSON body: strict UTF-8, strict JSON, nesting no deeper than `maxDepth`, and no
 * key that could reach an object's prototype (`__proto__`, or `constructor` holding
 * `prototype`), as Fastify refuses them.
 */
export function parseJsonBody(bytes: Uint8Array, contentType: string | undefined, maxDepth: number): unknown {
  if (bytes.byteLength === 0) return undefined
  checkContentType(contentType)
  let text: string
  let value: unknown
  try {
    text = decoder.decode(bytes)
    value = JSON.parse(text)
  } catch (cause) {
    const detail = cause instanceof SyntaxError ? cause.message : 'body is not valid UTF-8'
    throw new WireError('INVALID_JSON', `Request body is not valid JSON: ${detail}`)
  }
  // A body shorter than the depth limit cannot nest past it: most bodies skip the walk.
  if (text.length > maxDepth || SUSPICIOUS.test(text)) checkTree(value, maxDepth)
  return value
}

/**
 * Checks a body a framework already parsed: the same content-type rule and the same refusal
 * of prototype keys as `parseJsonBody`, since parsers like `express.json()` keep them.
 */
export function checkParsedBody(value: unknown, contentType: string | undefined, maxDepth: number): unknown {
  if (value === undefined) return undefined
  checkContentType(contentType)
  checkTree(value, maxDepth)
  return value
}

function checkContentType(contentType: string | undefined): void {
  if (contentType === undefined || !isJson(contentType)) {
    throw new WireError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Request body must be sent as Content-Type: application/json',
    )
  }
}

function isJson(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? ''
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))
}

// Iterative, so a deeply nested body cannot overflow the stack here. The depth limit matters
// further on: JSON.parse takes any depth, but a schema, a function or JSON.stringify recursing
// into the value would overflow the stack (a 500 instead of a 400).
function checkTree(root: unknown, maxDepth: number): void {
  const stack: [unknown, number][] = [[root, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (typeof node !== 'object' || node === null) continue
    if (depth >= maxDepth) {
      throw new WireError('BAD_REQUEST', `Input is nested deeper than ${maxDepth} levels`, {
        details: { limit: maxDepth },
      })
    }
    if (Object.hasOwn(node, '__proto__')) throw forbiddenKey('__proto__')
    const ctor = (node as Record<string, unknown>)['constructor']
    if (
      Object.hasOwn(node, 'constructor') &&
      typeof ctor === 'object' &&
      ctor !== null &&
      Object.hasOwn(ctor, 'prototype')
    ) {
      throw forbiddenKey('constructor.prototype')
    }
    for (const child of Object.values(node)) if (typeof child === 'object') stack.push([child, depth + 1])
  }
}

function forbiddenKey(key: string): WireError {
  return new WireError('BAD_REQUEST', `Input must not contain the key "${key}"`)
}

/**
 * Merges path params, query and body into one input object. The same key from two places
 * is a 400 rather than a silent overwrite; a non-object body stands alone.
 */
export function mergeInput(
  params: Readonly<Record<string, unknown>>,
  query: Readonly<Record<string, unknown>>,
  body: unknown,
): unknown {
  const input: Record<string, unknown> = { ...params }
  // for-in over own keys: no array of keys per request (the records have no inherited ones).
  for (const key in query) {
    if (!Object.hasOwn(query, key)) continue
    if (Object.hasOwn(input, key)) throw conflict(key, 'the path', 'the query')
    input[key] = query[key]
  }
  if (body === undefined) return input
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body)
  if (!isObject) {
    if (Object.keys(input).length === 0) return body
    throw new WireError(
      'BAD_REQUEST',
      'Request body must be a JSON object when the route also has path or query parameters',
    )
  }
  for (const key of Object.keys(body)) {
    if (Object.hasOwn(input, key))
      throw conflict(key, Object.hasOwn(params, key) ? 'the path' : 'the query', 'the body')
    input[key] = (body as Record<string, unknown>)[key]
  }
  return input
}

function conflict(key: string, first: string, second: string): WireError {
  return new WireError('CONFLICTING_INPUT', `Input "${key}" is given in both ${first} and ${second}`, {
    details: { key },
  })
}
