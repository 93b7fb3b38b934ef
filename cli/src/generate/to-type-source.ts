import { compile, type Options } from 'json-schema-to-typescript'

/** Prettier settings of the generated file: sluice's own, so it reads the same in every project. */
export const style = { semi: false, singleQuote: true, printWidth: 110, trailingComma: 'all' } as const

const compileOptions: Partial<Options> = {
  bannerComment: '',
  // A typed client should catch a misspelt key: an object is closed unless its schema says otherwise.
  additionalProperties: false,
  unknownAny: true,
  strictIndexSignatures: true,
  declareExternallyReferenced: true,
  format: true,
  style,
  // Never fetch a `$ref` from the network or the disk while generating.
  $refOptions: { resolve: { external: false } },
}

/** Declarations for one type, and whether that type is `unknown`. */
export interface TypeSource {
  source: string
  unknown: boolean
}

/**
 * TypeScript declarations for a JSON Schema: the type `name`, plus one declaration per titled
 * or `$defs` subschema, named `name` + its title so that two routes' subtypes never collide.
 * `unknown` when there is no schema, when it accepts anything, or when it cannot be converted.
 */
export async function toTypeSource(
  name: string,
  schema: Record<string, unknown> | undefined,
): Promise<TypeSource> {
  if (schema === undefined || acceptsAnything(schema))
    return { source: `export type ${name} = unknown\n`, unknown: true }
  const { title: _title, $id: _id, ...root } = schema
  try {
    const source = await compile(root, name, {
      ...compileOptions,
      customName: (sub, key) => {
        if (sub.$id === name) return name // the root, named by compile itself
        const found: unknown = key ?? sub.title ?? sub.$id
        return typeof found === 'string' ? `${name}${toPascal(found)}` : undefined
      },
    })
    return { source: source.trim() + '\n', unknown: false }
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 80)
    return {
      source: `// Not convertible to a type: ${reason ?? ''}\nexport type ${name} = unknown\n`,
      unknown: true,
    }
  }
}

/** `get-count`, `getCount`, `get count` -> `GetCount`. */
export function toPascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
    .replace(/^[0-9]+/, '')
}

// Keywords that describe but do not constrain: a schema made only of them accepts any value.
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$id',
  '$schema',
  '$comment',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
])

function acceptsAnything(schema: Record<string, unknown>): boolean {
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key))
}
