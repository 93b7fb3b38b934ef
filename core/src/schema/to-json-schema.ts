import type { StandardJSONSchemaV1 } from '@standard-schema/spec'
import { isStandardSchema, type Schema } from './schema'

/** Which side of a schema to describe: what it accepts (`input`) or what it produces (`output`). */
export type SchemaSide = 'input' | 'output'

/**
 * A schema as JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1 and 3.2), or `undefined`
 * when a Standard Schema library does not implement Standard JSON Schema. Throws what the
 * library throws for a type with no JSON form (zod: `z.date()`, a transform's output), so a
 * caller can say why.
 */
export function toJsonSchema(schema: Schema, side: SchemaSide): Record<string, unknown> | undefined {
  if (!isStandardSchema(schema)) return { ...(schema as Record<string, unknown>) }
  const props = schema['~standard'] as Partial<StandardJSONSchemaV1.Props>
  if (props.jsonSchema === undefined) return undefined
  const { $schema: _dialect, ...json } = props.jsonSchema[side]({ target: 'draft-2020-12' })
  return json
}
