import { Ajv, type ValidateFunction } from 'ajv'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { isStandardSchema, type Schema } from './schema'

/** One validation problem, with the path to the offending value. */
export interface Issue {
  path: (string | number)[]
  message: string
}

/** The outcome of a validation: the (possibly transformed) value, or the issues. */
export type Validation = { ok: true; value: unknown } | { ok: false; issues: Issue[] }

/** A compiled validator; synchronous whenever the schema library allows it. */
export type Validator = (value: unknown) => Validation | Promise<Validation>

// Input arrives as strings from the path and query, so input schemas coerce like Fastify's
// do ('array' also wraps a single query value when the schema wants an array). Events and
// outputs are produced by our own code and are checked as they are, without coercion.
const inputAjv = new Ajv({ coerceTypes: 'array', useDefaults: true, allErrors: true, strict: false })
const outputAjv = new Ajv({ allErrors: true, strict: false })

/** Compiles a schema once, at wiring time, into a validator. */
export function createValidator(schema: Schema, options: { coerce: boolean }): Validator {
  if (isStandardSchema(schema)) return fromStandard(schema)
  const compiled = (options.coerce ? inputAjv : outputAjv).compile(schema)
  return fromAjv(compiled)
}

function fromStandard(schema: StandardSchemaV1): Validator {
  const toValidation = (result: StandardSchemaV1.Result<unknown>): Validation =>
    result.issues === undefined
      ? { ok: true, value: result.value }
      : { ok: false, issues: result.issues.map(toIssue) }
  return (value) => {
    const result = schema['~standard'].validate(value)
    return result instanceof Promise ? result.then(toValidation) : toValidation(result)
  }
}

function toIssue(issue: StandardSchemaV1.Issue): Issue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === 'object' ? segment.key : segment
    return typeof key === 'number' ? key : String(key)
  })
  return { path, message: issue.message }
}

function fromAjv(validate: ValidateFunction): Validator {
  return (value) => {
    if (validate(value)) return { ok: true, value }
    const issues = (validate.errors ?? []).map((error) => ({
      path: error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer),
      message: error.message ?? 'is invalid',
    }))
    return { ok: false, issues }
  }
}

// JSON Pointer escapes (RFC 6901): ~1 is '/', ~0 is '~'.
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}
