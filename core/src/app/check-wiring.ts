import { toJsonSchema } from '../schema/to-json-schema'
import { checkFields } from '../stream/with-event'
import type { Schema } from '../schema/schema'
import type { AnyFunction } from './define-function'
import type { RouteKind } from './route-contract'

/** What `checkWiring` needs of `wireHTTP`'s options. */
export interface WiringFacts {
  method: string
  route: string
  func: unknown
  sse: boolean
  auth: boolean | undefined
}

/** What wiring decides once the options passed every check. */
export interface CheckedWiring {
  func: AnyFunction
  params: string[]
  kind: RouteKind
  auth: boolean
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
const PARAM = /^[A-Za-z_][A-Za-z0-9_]*$/

// The constructor of every `async function*`, which the language does not name globally.
const AsyncGeneratorFunction = async function* () {}.constructor

/** Whether a function is an `async function*` (the one way to write a stream). */
export function isStreamFunction(func: AnyFunction): boolean {
  return func.func instanceof AsyncGeneratorFunction
}

/**
 * Refuses every wiring mistake sluice can see before a request, with what to write instead,
 * and decides the route's kind and params. See docs/decisions.md, "Wiring mistakes".
 */
export function checkWiring(facts: WiringFacts): CheckedWiring {
  const where = `${facts.method} ${facts.route}`
  if (!METHODS.has(facts.method))
    throw new Error(`sluice: unknown method in ${where}; use get, post, put, patch or delete`)
  const params = checkPath(facts.route)
  const func = checkFunc(facts.func, where)
  const kind = checkKind(func, facts, where)
  if (func.events !== undefined) checkEvents(func, kind, where)
  if (func.status !== undefined && func.status !== 200 && kind !== 'json') {
    throw new Error(
      `sluice: ${where} streams, and a stream always answers 200; remove status: ${func.status}`,
    )
  }
  if (func.auth === true && facts.auth === false) {
    throw new Error(`sluice: the function of ${where} declares auth: true; wire it without auth: false`)
  }
  if (func.input !== undefined && params.length > 0) checkInputHasParams(func.input, params, where)
  return { func, params, kind, auth: facts.auth ?? func.auth === true }
}

function checkPath(route: string): string[] {
  if (!route.startsWith('/')) throw new Error(`sluice: route "${route}" must start with /`)
  const params: string[] = []
  for (const segment of route.split('/')) {
    if (segment.includes('{') || segment.includes('}')) {
      const fixed = route.replace(/\{([^/{}]*)\}/g, ':$1')
      throw new Error(`sluice: route "${route}" uses OpenAPI's {param} syntax; write "${fixed}"`)
    }
    if (!segment.startsWith(':')) continue
    const name = segment.slice(1)
    if (!PARAM.test(name)) {
      throw new Error(`sluice: route "${route}": ":${name}" is not a param name; use letters, digits and _`)
    }
    if (params.includes(name)) throw new Error(`sluice: route "${route}" names the param ":${name}" twice`)
    params.push(name)
  }
  return params
}

function checkFunc(func: unknown, where: string): AnyFunction {
  if (typeof func === 'function') {
    throw new Error(
      `sluice: func of ${where} is a plain function; wrap it: func: defineFunction({ func: ${func.name || 'yourFunction'} })`,
    )
  }
  const inner = (func as { func?: unknown } | null | undefined)?.func
  if (typeof inner !== 'function') {
    throw new Error(`sluice: func of ${where} must be made by defineFunction({ func, ... })`)
  }
  return func as AnyFunction
}

function checkKind(func: AnyFunction, facts: WiringFacts, where: string): RouteKind {
  const generator = isStreamFunction(func)
  if (facts.sse && facts.method !== 'GET')
    throw new Error(`sluice: sse: true needs a GET route, not ${where}`)
  if (facts.sse && generator) {
    throw new Error(
      `sluice: ${where} is an async function*, which always streams; remove sse: true ` +
        '(it is for a plain function that answers a value and pushes more through channel)',
    )
  }
  if (generator) return 'stream'
  if (facts.sse) return 'progressive'
  if (func.event !== undefined || func.events !== undefined) {
    throw new Error(
      `sluice: ${where} has ${func.event === undefined ? 'events' : 'an event schema'} but is not an async function*: to stream, write it as ` +
        'an async function* (yield* any other async iterable); to answer a value and push events ' +
        'through channel, wire it with sse: true (GET only)',
    )
  }
  return 'json'
}

// Each kind goes out as `event: <name>`: a name that could not (a line break) or one sluice
// itself sends would break the stream, so it is refused here rather than on the first event.
function checkEvents(func: AnyFunction, kind: RouteKind, where: string): void {
  // From plain JavaScript too: anything may be here.
  const events: unknown = func.events
  if (func.event !== undefined) {
    throw new Error(
      `sluice: ${where} declares both event and events; keep events and name the one schema ` +
        'there (events: { message: schema } is what a value yielded without a name is)',
    )
  }
  if (typeof events !== 'object' || events === null || Object.keys(events).length === 0) {
    throw new Error(`sluice: events of ${where} must name at least one kind: events: { progress: Progress }`)
  }
  for (const [name, schema] of Object.entries(events)) {
    try {
      checkFields({ event: name })
    } catch (error) {
      const reason = (error as Error).message.replace(/^sluice: /, '')
      throw new Error(`sluice: events of ${where}: ${JSON.stringify(name)} cannot be a kind: ${reason}`)
    }
    if (typeof schema !== 'object' || schema === null) {
      throw new Error(`sluice: events.${name} of ${where} must be a schema (zod, valibot, JSON Schema ...)`)
    }
  }
  // A progressive route's first event is the value it returned, sent as a `message`.
  if (kind === 'progressive' && Object.hasOwn(events, 'message')) {
    throw new Error(
      `sluice: ${where} is sse: true, whose first event is the returned value (a message, typed by output); ` +
        'name the kind in events something other than message',
    )
  }
}

// Path params are merged into the input, so an input schema that cannot hold them fails every request.
function checkInputHasParams(input: Schema, params: string[], where: string): void {
  let json: Record<string, unknown> | undefined
  try {
    json = toJsonSchema(input, 'input')
  } catch {
    return // not describable (a transform): nothing to check against
  }
  if (json === undefined) return
  const type = json['type']
  if (typeof type === 'string' && type !== 'object') {
    throw new Error(
      `sluice: the input schema of ${where} is a ${type}, but path params are merged into the input; make it an object`,
    )
  }
  const properties = (json['properties'] ?? {}) as Record<string, unknown>
  if (json['additionalProperties'] !== false) return
  const missing = params.filter((name) => !Object.hasOwn(properties, name))
  if (missing.length > 0) {
    const list = missing.map((name) => `${name}: z.string()`).join(', ')
    throw new Error(
      `sluice: the input schema of ${where} is a strict object without the path param ${missing.join(', ')}; ` +
        `add ${list} (or z.coerce.number()) to it, or make it a non-strict object`,
    )
  }
}
