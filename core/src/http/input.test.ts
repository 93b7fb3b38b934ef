import { afterAll, describe, expect, it } from 'vitest'
import { WireError } from '../errors/wire-error'
import { checkParsedBody, mergeInput, parseJsonBody, parseQuery } from './input'

// The default `limits.jsonDepth`.
const DEPTH = 64

const encoder = new TextEncoder()
const JSON_TYPE = 'application/json'

function bytes(text: string): Uint8Array {
  return encoder.encode(text)
}

function thrown(fn: () => unknown): WireError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(WireError)
    return error as WireError
  }
  throw new Error('expected a WireError, but nothing was thrown')
}

afterAll(() => {
  // Whatever the pollution attempts above did, Object.prototype must be untouched.
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
})

describe('parseQuery', () => {
  it('returns an empty object for an empty query', () => {
    expect(parseQuery('')).toEqual({})
  })

  it('decodes keys and values', () => {
    expect(parseQuery('a=1&b=x%20y&c=&d+e=f+g')).toEqual({ a: '1', b: 'x y', c: '', 'd e': 'f g' })
  })

  it('turns a repeated key into an array, in order', () => {
    expect(parseQuery('tag=a&x=1&tag=b&tag=c')).toEqual({ tag: ['a', 'b', 'c'], x: '1' })
  })

  it('rejects a __proto__ key with BAD_REQUEST', () => {
    const error = thrown(() => parseQuery('__proto__=1'))
    expect(error.code).toBe('BAD_REQUEST')
    expect(error.status).toBe(400)
    expect(thrown(() => parseQuery('a=1&%5F_proto__=1')).code).toBe('BAD_REQUEST')
  })

  it('does not let __proto__[x] style keys pollute anything', () => {
    const query = parseQuery('__proto__[polluted]=1&constructor[prototype][polluted]=1')
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype)
    expect(query['__proto__[polluted]']).toBe('1')
  })

  it('treats keys named like Object.prototype members as plain keys', () => {
    const query = parseQuery('constructor=x&toString=1&hasOwnProperty=2&valueOf=3&valueOf=4')
    expect(query).toEqual({ constructor: 'x', toString: '1', hasOwnProperty: '2', valueOf: ['3', '4'] })
  })
})

describe('parseJsonBody', () => {
  it('parses a JSON body', () => {
    expect(parseJsonBody(bytes('{"a":[1,2],"b":null}'), JSON_TYPE, DEPTH)).toEqual({ a: [1, 2], b: null })
    expect(parseJsonBody(bytes('"text"'), JSON_TYPE, DEPTH)).toBe('text')
  })

  it('returns undefined for an empty body, whatever the content type', () => {
    expect(parseJsonBody(new Uint8Array(), undefined, DEPTH)).toBeUndefined()
    expect(parseJsonBody(new Uint8Array(), 'text/plain', DEPTH)).toBeUndefined()
  })

  it.each([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'json', ''])(
    'answers 415 for content type %j',
    (contentType) => {
      const error = thrown(() => parseJsonBody(bytes('{}'), contentType, DEPTH))
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
      expect(error.status).toBe(415)
    },
  )

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/merge-patch+json',
    'application/vnd.api+json; charset=utf-8',
  ])('accepts content type %j', (contentType) => {
    expect(parseJsonBody(bytes('{"ok":true}'), contentType, DEPTH)).toEqual({ ok: true })
  })

  it.each(['{', '{"a":1,}', "{'a':1}", 'undefined', '{"a":1} x', 'NaN'])(
    'answers INVALID_JSON for %j',
    (text) => {
      const error = thrown(() => parseJsonBody(bytes(text), JSON_TYPE, DEPTH))
      expect(error.code).toBe('INVALID_JSON')
      expect(error.status).toBe(400)
    },
  )

  it('answers INVALID_JSON for bytes that are not valid UTF-8', () => {
    const invalid = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) // {"a":"<ff fe>"}
    const error = thrown(() => parseJsonBody(invalid, JSON_TYPE, DEPTH))
    expect(error.code).toBe('INVALID_JSON')
    expect(error.message).toMatch(/UTF-8/)
    const truncated = new Uint8Array([...bytes('{"a":"'), 0xe2, 0x82, ...bytes('"}')]) // half of a 3-byte char
    expect(thrown(() => parseJsonBody(truncated, JSON_TYPE, DEPTH)).code).toBe('INVALID_JSON')
  })

  it('decodes multi-byte UTF-8', () => {
    expect(parseJsonBody(bytes('{"s":"héllo €𝄞"}'), JSON_TYPE, DEPTH)).toEqual({ s: 'héllo €𝄞' })
  })

  it.each([
    ['at the top', '{"__proto__":{"polluted":true}}'],
    ['nested in an object', '{"a":{"b":{"__proto__":{"polluted":true}}}}'],
    ['inside an array', '{"a":[1,{"__proto__":{"polluted":true}}]}'],
    ['in a top-level array', '[{"__proto__":{"polluted":true}}]'],
    ['escaped as \\u005f_proto__', '{"\\u005f_proto__":{"polluted":true}}'],
    [
      'fully escaped',
      '{"\\u005f\\u005f\\u0070\\u0072\\u006f\\u0074\\u006f\\u005f\\u005f":{"polluted":true}}',
    ],
    ['escaped and nested', '{"x":{"__pro\\u0074o__":{"polluted":true}}}'],
    ['with a null value', '{"__proto__":null}'],
  ])('rejects an own __proto__ key %s', (_name, text) => {
    const error = thrown(() => parseJsonBody(bytes(text), JSON_TYPE, DEPTH))
    expect(error.code).toBe('BAD_REQUEST')
    expect(error.status).toBe(400)
    expect(error.message).toContain('__proto__')
  })

  it.each([
    ['at the top', '{"constructor":{"prototype":{"polluted":true}}}'],
    ['nested', '{"a":[{"constructor":{"prototype":{"polluted":true}}}]}'],
    ['escaped', '{"\\u0063onstructor":{"prototyp\\u0065":{"polluted":true}}}'],
  ])('rejects constructor.prototype %s', (_name, text) => {
    const error = thrown(() => parseJsonBody(bytes(text), JSON_TYPE, DEPTH))
    expect(error.code).toBe('BAD_REQUEST')
    expect(error.message).toContain('constructor.prototype')
  })

  it('allows constructor as a plain value or key without prototype', () => {
    expect(parseJsonBody(bytes('{"name":"constructor"}'), JSON_TYPE, DEPTH)).toEqual({ name: 'constructor' })
    expect(parseJsonBody(bytes('{"constructor":"x"}'), JSON_TYPE, DEPTH)).toEqual({ constructor: 'x' })
    expect(parseJsonBody(bytes('{"constructor":{"name":"x"}}'), JSON_TYPE, DEPTH)).toEqual({
      constructor: { name: 'x' },
    })
    expect(parseJsonBody(bytes('{"text":"__proto__","u":"\\u0041"}'), JSON_TYPE, DEPTH)).toEqual({
      text: '__proto__',
      u: 'A',
    })
  })

  it('walks 10000 levels of nesting without overflowing the stack', () => {
    const depth = 10_000
    const arrays = `${'['.repeat(depth)}{"constructor":"x"}${']'.repeat(depth)}`
    expect(() => parseJsonBody(bytes(arrays), JSON_TYPE, depth + 1)).not.toThrow()
    const objects = `${'{"a":'.repeat(depth)}"constructor"${'}'.repeat(depth)}`
    expect(() => parseJsonBody(bytes(objects), JSON_TYPE, depth + 1)).not.toThrow()
    const deepProto = `${'{"a":'.repeat(depth)}{"__proto__":{"polluted":true}}${'}'.repeat(depth)}`
    expect(thrown(() => parseJsonBody(bytes(deepProto), JSON_TYPE, depth + 2)).code).toBe('BAD_REQUEST')
  })

  it('refuses nesting deeper than the limit with a 400, in raw and in parsed bodies', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`
    expect(() => parseJsonBody(bytes(nested(64)), JSON_TYPE, 64)).not.toThrow()
    const error = thrown(() => parseJsonBody(bytes(nested(65)), JSON_TYPE, 64))
    expect(error.code).toBe('BAD_REQUEST')
    expect(error.status).toBe(400)
    expect(error.message).toContain('64')
    const parsed = JSON.parse(`{"a":${nested(70)}}`) as unknown
    expect(thrown(() => checkParsedBody(parsed, JSON_TYPE, 64)).code).toBe('BAD_REQUEST')
    expect(checkParsedBody(JSON.parse(nested(10)), JSON_TYPE, 64)).toEqual(JSON.parse(nested(10)))
  })
})

describe('mergeInput', () => {
  it('merges params, query and an object body', () => {
    expect(mergeInput({ id: '1' }, { q: 'x', tags: ['a', 'b'] }, { name: 'n' })).toEqual({
      id: '1',
      q: 'x',
      tags: ['a', 'b'],
      name: 'n',
    })
  })

  it('returns the params and query when there is no body', () => {
    expect(mergeInput({ id: '1' }, {}, undefined)).toEqual({ id: '1' })
    expect(mergeInput({}, {}, undefined)).toEqual({})
  })

  it.each([
    ['path and query', { id: '1' }, { id: '2' }, undefined],
    ['path and body', { id: '1' }, {}, { id: 2 }],
    ['query and body', {}, { id: '1' }, { id: 2 }],
  ])('rejects the same key in %s with CONFLICTING_INPUT', (_name, params, query, body) => {
    const error = thrown(() => mergeInput(params, query, body))
    expect(error.code).toBe('CONFLICTING_INPUT')
    expect(error.status).toBe(400)
    expect(error.details).toEqual({ key: 'id' })
  })

  it('names where a conflicting key came from', () => {
    expect(thrown(() => mergeInput({ id: '1' }, {}, { id: 2 })).message).toMatch(/path.*body/)
    expect(thrown(() => mergeInput({}, { id: '1' }, { id: 2 })).message).toMatch(/query.*body/)
  })

  it.each([[[1, 2]], ['text'], [42], [null], [false]])('lets a non-object body %j stand alone', (body) => {
    expect(mergeInput({}, {}, body)).toEqual(body)
  })

  it.each([[[1, 2]], ['text'], [null]])('rejects a non-object body %j next to params or query', (body) => {
    const withParams = thrown(() => mergeInput({ id: '1' }, {}, body))
    expect(withParams.status).toBe(400)
    expect(withParams.code).toBe('BAD_REQUEST')
    expect(thrown(() => mergeInput({}, { q: '1' }, body)).status).toBe(400)
  })

  it('keeps Object.prototype-named keys as own data', () => {
    const input = mergeInput({}, parseQuery('constructor=x'), { toString: 'y' }) as Record<string, unknown>
    expect(input).toEqual({ constructor: 'x', toString: 'y' })
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype)
  })
})
