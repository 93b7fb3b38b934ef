import { isStandardSchema, type Schema } from '../schema/schema'
import { toJsonSchema, type SchemaSide } from '../schema/to-json-schema'

/** A JSON Schema object as the OpenAPI export builds it. */
export type JsonObject = Record<string, unknown>

const PREFIX = '#/components/schemas/'
// Keywords whose values are data, not schemas: a `$ref` key in there is not a reference.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'example'])

/**
 * The document's `components.schemas`, filled while route schemas are converted. A schema's
 * `$defs` move here (and so does the schema itself when it refers to its own root, as zod does
 * for a recursive root): inside an OpenAPI document `#/$defs/X` would resolve against the
 * document, not against the schema it came from.
 */
export class SchemaComponents {
  readonly schemas = new Map<string, JsonObject>()

  /** Adds a fixed component, e.g. the shared error body. */
  add(name: string, schema: JsonObject): void {
    this.schemas.set(name, schema)
  }

  /**
   * The JSON Schema of a route's schema, its definitions moved to components named after
   * `owner` when they have no name of their own. A schema its library cannot describe is `{}`
   * with a description saying why.
   */
  convert(schema: Schema, side: SchemaSide, owner: string): JsonObject {
    const vendor = isStandardSchema(schema) ? schema['~standard'].vendor : 'JSON Schema'
    let json: JsonObject | undefined
    try {
      json = toJsonSchema(schema, side)
    } catch (error) {
      // zod throws for types JSON cannot carry (Date, a transform's output, a bigint).
      const reason = error instanceof Error ? error.message : String(error)
      return { description: `Not described: ${vendor} could not express this schema (${reason}).` }
    }
    if (json === undefined) {
      return { description: `Not described: this ${vendor} schema does not implement Standard JSON Schema.` }
    }
    return this.hoist(json, owner)
  }

  /** A schema with a root `$ref` into components replaced by the component, to read its properties. */
  resolve(schema: JsonObject): JsonObject {
    const ref = schema['$ref']
    if (typeof ref !== 'string' || !ref.startsWith(PREFIX)) return schema
    return this.schemas.get(ref.slice(PREFIX.length)) ?? schema
  }

  private hoist(json: JsonObject, owner: string): JsonObject {
    // Refs become document-relative; a root `$id` would change the base they resolve against.
    const { $defs, $id: _id, ...root } = json
    const defs = isObject($defs) ? $defs : {}
    const taken = new Set(this.schemas.keys())
    const fresh = (base: string): string => {
      let name = base
      for (let i = 2; taken.has(name); i++) name = `${base}${i}`
      taken.add(name)
      return name
    }
    const names = new Map<string, string>()
    for (const def of Object.keys(defs)) {
      // zod names unnamed definitions `__schema0`; those get the owner's name instead.
      const own = def.startsWith('__') ? undefined : def.replace(/[^A-Za-z0-9._-]/g, '_')
      const claimed = own !== undefined && [...names.values()].includes(own)
      names.set(def, own === undefined || claimed ? fresh(owner + pascal(def)) : own)
      if (own !== undefined) taken.add(own)
    }
    const rootName = refersToRoot(json) ? fresh(owner) : undefined
    const rewrite = (value: unknown): JsonObject => rewriteRefs(value, names, rootName) as JsonObject
    // A named definition may already exist with other content (two libraries, two `User`s):
    // that one gets a fresh name, which may make others differ in turn, hence the loop.
    for (let clash = findClash(this.schemas, defs, names, rewrite); clash !== undefined;) {
      names.set(clash, fresh(owner + pascal(clash)))
      clash = findClash(this.schemas, defs, names, rewrite)
    }
    for (const [def, name] of names) this.schemas.set(name, rewrite(defs[def]))
    if (rootName === undefined) return rewrite(root)
    this.schemas.set(rootName, rewrite(root))
    return { $ref: PREFIX + rootName }
  }
}

function findClash(
  existing: Map<string, JsonObject>,
  defs: Record<string, unknown>,
  names: Map<string, string>,
  rewrite: (value: unknown) => JsonObject,
): string | undefined {
  for (const [def, name] of names) {
    const known = existing.get(name)
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(rewrite(defs[def]))) return def
  }
  return undefined
}

// Whether a schema has a local ref outside `$defs` (`#`, `#/properties/...`): zod writes `#`
// for a recursive root schema.
function refersToRoot(value: unknown): boolean {
  let found = false
  walk(value, (ref) => {
    if (ref.startsWith('#') && !ref.startsWith('#/$defs/')) found = true
  })
  return found
}

// The copy every converted schema goes through: refs made document-relative, and the bounds
// zod gives every `.int()` (the safe-integer range) dropped, since they are not the app's
// (Swagger UI shows -9007199254740991 as the example value).
function rewriteRefs(value: unknown, names: Map<string, string>, rootName: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names, rootName))
  if (!isObject(value)) return value
  const copy: JsonObject = {}
  const integer = value['type'] === 'integer'
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') copy[key] = rewriteRef(child, names, rootName)
    else if (integer && isSafeIntegerBound(key, child)) continue
    else copy[key] = DATA_KEYWORDS.has(key) ? child : rewriteRefs(child, names, rootName)
  }
  return copy
}

function isSafeIntegerBound(key: string, value: unknown): boolean {
  return (
    (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) ||
    (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)
  )
}

function rewriteRef(ref: string, names: Map<string, string>, rootName: string | undefined): string {
  const def = /^#\/\$defs\/([^/]+)(.*)$/.exec(ref)
  if (def !== null) {
    const name = names.get(unescapePointer(def[1] ?? ''))
    return name === undefined ? ref : PREFIX + name + (def[2] ?? '')
  }
  if (rootName !== undefined && (ref === '#' || ref.startsWith('#/'))) return PREFIX + rootName + ref.slice(1)
  return ref
}

function walk(value: unknown, visit: (ref: string) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit)
  if (!isObject(value)) return
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') visit(child)
    else if (!DATA_KEYWORDS.has(key)) walk(child, visit)
  }
}

// A JSON Pointer token inside a URI fragment: percent-decoding, then `~1` and `~0` (RFC 6901).
function unescapePointer(token: string): string {
  return decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~')
}

/** `getCount` -> `GetCount`, `__schema0` -> `Schema0`: a name part for components. */
export function pascal(text: string): string {
  const word = text.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9._-]/g, '_')
  return word.charAt(0).toUpperCase() + word.slice(1)
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
