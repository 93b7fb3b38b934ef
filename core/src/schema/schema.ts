import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { FromSchema, JSONSchema } from 'json-schema-to-ts'

/** A plain JSON Schema object; write it `as const` so its type can be inferred. */
export type JsonSchema = Exclude<JSONSchema, boolean>

/** Anything sluice validates with: a Standard Schema (zod 4, valibot, arktype) or JSON Schema. */
export type Schema = StandardSchemaV1 | JsonSchema

/** The validated type a schema describes; `Fallback` when there is no schema. */
export type Infer<S, Fallback = unknown> = [S] extends [undefined]
  ? Fallback
  : S extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<S>
    : S extends JsonSchema
      ? FromSchema<S>
      : Fallback

/** Whether a schema is a Standard Schema (as opposed to JSON Schema). */
export function isStandardSchema(schema: Schema): schema is StandardSchemaV1 {
  return typeof (schema as Partial<StandardSchemaV1>)['~standard'] === 'object'
}
