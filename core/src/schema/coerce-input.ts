import { isStandardSchema, type Schema } from './schema'
import { toJsonSchema } from './to-json-schema'

/** Turns path and query strings into the types the input schema names; other keys pass as they are. */
export type Coercer = (values: Readonly<Record<string, string | string[]>>) => Record<string, unknown>

type Target = 'number' | 'integer' | 'boolean'
interface Field {
  scalar: Target | undefined
  /** Set when the schema wants an array: how to coerce its items. */
  array: { items: Target | undefined } | undefined
}

/**
 * A coercer for a Standard Schema input, built once at wiring from its JSON Schema, as
 * Fastify's ajv `coerceTypes: 'array'` does for JSON Schema (which sluice's ajv already
 * coerces). `undefined` when no property needs it, so most routes pay nothing per request.
 */
export function createCoercer(schema: Schema): Coercer | undefined {
  if (!isStandardSchema(schema)) return undefined
  let json: Record<string, unknown> | undefined
  try {
    json = toJsonSchema(schema, 'input')
  } catch {
    return undefined
  }
  const properties = json?.['properties']
  if (typeof properties !== 'object' || properties === null) return undefined
  const fields = new Map<string, Field>()
  for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
    const types = typesOf(property)
    if (types.has('string')) continue
    const field: Field = { scalar: toTarget(types), array: undefined }
    if (types.has('array'))
      field.array = { items: toTarget(typesOf((property as { items?: unknown }).items)) }
    if (field.scalar !== undefined || field.array !== undefined) fields.set(key, field)
  }
  if (fields.size === 0) return undefined
  return (values) => {
    const out: Record<string, unknown> = { ...values }
    for (const [key, field] of fields) {
      if (Object.hasOwn(values, key)) out[key] = coerceField(values[key] as string | string[], field)
    }
    return out
  }
}

function coerceField(value: string | string[], field: Field): unknown {
  if (Array.isArray(value))
    return field.array === undefined ? value : value.map((item) => coerce(item, field.array?.items))
  if (field.scalar !== undefined) return coerce(value, field.scalar)
  // A single query value where the schema wants an array, as ajv's `coerceTypes: 'array'`.
  return [coerce(value, field.array?.items)]
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

// A string that does not spell the target stays a string, so the schema reports it (a 400).
function coerce(value: string, target: Target | undefined): unknown {
  if (target === 'boolean') return value === 'true' ? true : value === 'false' ? false : value
  if (target === undefined || !NUMBER.test(value)) return value
  const number = Number(value)
  return target === 'integer' && !Number.isInteger(number) ? value : number
}

function toTarget(types: Set<string>): Target | undefined {
  if (types.has('number')) return 'number'
  if (types.has('integer')) return 'integer'
  if (types.has('boolean')) return 'boolean'
  return undefined
}

// The types a property allows, through `anyOf` / `oneOf` (zod writes optional and nullable so).
function typesOf(schema: unknown): Set<string> {
  const types = new Set<string>()
  if (typeof schema !== 'object' || schema === null) return types
  const { type, anyOf, oneOf } = schema as Record<string, unknown>
  if (typeof type === 'string') types.add(type)
  if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') types.add(t)
  for (const list of [anyOf, oneOf]) {
    if (Array.isArray(list)) for (const sub of list) for (const t of typesOf(sub)) types.add(t)
  }
  return types
}
