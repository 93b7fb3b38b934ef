import fc from 'fast-check'
import { expect } from 'vitest'
import type { SuiteContext } from '../suite-context'

// Hostile bodies: prototype keys (plain and \u-escaped, at any depth), nesting past the limit,
// invalid UTF-8, truncated JSON. Each must be a 4xx with sluice's JSON error body.
const protoKey = fc.constantFrom('"__proto__"', '"\\u005f_proto__"', '"__pro\\u0074o__"')
const wrap = (inner: string, depth: number): string => '{"a":'.repeat(depth) + inner + '}'.repeat(depth)
const hostileBody = fc.oneof(
  fc
    .tuple(protoKey, fc.nat(40))
    .map(([key, depth]) => wrap(`{"message":"x",${key}:{"polluted":true}}`, depth)),
  fc.nat(40).map((depth) => wrap('{"constructor":{"prototype":{"polluted":true}}}', depth)),
  fc.integer({ min: 65, max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc
    .tuple(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('\xff', '\xc3', '\xe2\x82', '\xed\xa0\x80', '\xc0\xaf'),
    )
    .map(([text, bad]) => `{"message":"${text.replace(/["\\]/g, '')}${bad}"}`),
  fc.string({ maxLength: 30 }).map((text) => `{"message":"${text.replace(/["\\]/g, '')}`),
)
// A binary string (one char per byte) as bytes, so the invalid UTF-8 above reaches the wire.
const toBytes = (binary: string): Uint8Array =>
  /[^\x00-\xff]/.test(binary)
    ? new TextEncoder().encode(binary)
    : Uint8Array.from(binary, (c) => c.charCodeAt(0))

const hostileQuery = fc.oneof(
  fc.constantFrom('__proto__=x', '__proto__[polluted]=true&__proto__=y', 'to=%ZZ', 'to=%E0%A4', 'to=1e309'),
  fc
    .array(fc.constantFrom('to=1', 'to=2', 'to=-1', 'to=x'), { minLength: 2, maxLength: 300 })
    .map((p) => p.join('&')),
)

async function expectClientError(response: Response): Promise<void> {
  expect(response.status).toBeGreaterThanOrEqual(400)
  expect(response.status).toBeLessThan(500)
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } }
  expect(typeof body.error?.code).toBe('string')
  expect(typeof body.error?.message).toBe('string')
}

/** Fuzzed bad input: every hostile body and query is a 4xx, nothing crashes, nothing is polluted. */
export function fuzzCases({ url, test }: SuiteContext): void {
  test('fuzzed hostile JSON bodies are 4xx and pollute nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, fc.constantFrom('/echo', '/merge/1'), async (body, path) => {
        const response = await fetch(`${url()}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: toBytes(body),
        })
        await expectClientError(response)
      }),
      { numRuns: 60 },
    )
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect((await fetch(`${url()}/health`)).status).toBe(200)
  })

  test('fuzzed hostile query strings are 4xx and pollute nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, async (query) => {
        await expectClientError(
          await fetch(`${url()}/count?${query}`, { headers: { accept: 'text/event-stream' } }),
        )
      }),
      { numRuns: 40 },
    )
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect((await fetch(`${url()}/health`)).status).toBe(200)
  })
}
