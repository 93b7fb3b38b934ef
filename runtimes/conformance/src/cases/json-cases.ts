import { expect } from 'vitest'
import type { SuiteContext } from '../suite-context'

const JSON_TYPE = 'application/json; charset=utf-8'

async function post(url: string, body: string, type = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body })
}

async function errorOf(response: Response): Promise<{ code: string; message: string; details?: unknown }> {
  expect(response.headers.get('content-type')).toBe(JSON_TYPE)
  const body = (await response.json()) as { error: { code: string; message: string; details?: unknown } }
  return body.error
}

/** Plain JSON routes: values, validation, errors before the first byte, auth, input merging. */
export function jsonCases({ url, test }: SuiteContext): void {
  test('GET /health answers {"ok":true}', async () => {
    const response = await fetch(`${url()}/health`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(JSON_TYPE)
    expect(await response.text()).toBe('{"ok":true}')
  })

  test('POST /echo returns the message', async () => {
    const response = await post(`${url()}/echo`, JSON.stringify({ message: 'hello' }))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ message: 'hello' })
  })

  test('POST /echo with an invalid body is a 400 listing the issues', async () => {
    const response = await post(`${url()}/echo`, JSON.stringify({ message: '' }))
    expect(response.status).toBe(400)
    const error = await errorOf(response)
    expect(error.code).toBe('VALIDATION_ERROR')
    expect(error.details).toMatchObject({ issues: [{ path: ['message'] }] })
  })

  test('POST /jobs answers its declared 201 with Location, then its declared 409 with details', async () => {
    const jobId = `job-${Math.random().toString(36).slice(2)}`
    const created = await post(`${url()}/jobs`, JSON.stringify({ jobId }))
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(`/jobs/${jobId}`)
    expect(await created.json()).toEqual({ jobId })
    const again = await post(`${url()}/jobs`, JSON.stringify({ jobId }))
    expect(again.status).toBe(409)
    expect(await errorOf(again)).toEqual({
      code: 'JOB_EXISTS',
      message: 'That job exists',
      details: { jobId },
    })
  })

  test('a path param typed z.number() is coerced from the path; a non-number is a 400', async () => {
    const response = await fetch(`${url()}/double/21`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ doubled: 42 })
    const bad = await fetch(`${url()}/double/abc`)
    expect(bad.status).toBe(400)
    expect((await errorOf(bad)).code).toBe('VALIDATION_ERROR')
  })

  test('malformed JSON is a 400 INVALID_JSON', async () => {
    const response = await post(`${url()}/echo`, '{"message": "unterminated')
    expect(response.status).toBe(400)
    expect((await errorOf(response)).code).toBe('INVALID_JSON')
  })

  test('a body that is not JSON is a 415', async () => {
    const response = await post(`${url()}/echo`, 'message=hi', 'application/x-www-form-urlencoded')
    expect(response.status).toBe(415)
    expect((await errorOf(response)).code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  test('a body over the limit (1 MiB) is a 413', async () => {
    const message = 'x'.repeat(1024 * 1024 + 16)
    const response = await post(`${url()}/echo`, JSON.stringify({ message }))
    expect(response.status).toBe(413)
    expect((await errorOf(response)).code).toBe('PAYLOAD_TOO_LARGE')
  })

  test('prototype keys in a body are refused and pollute nothing', async () => {
    const attempts = [
      '{"message":"x","__proto__":{"polluted":true}}',
      '{"message":"x","\\u005f_proto__":{"polluted":true}}',
      '{"message":"x","nested":{"constructor":{"prototype":{"polluted":true}}}}',
    ]
    for (const body of attempts) {
      const response = await post(`${url()}/merge/1`, body)
      expect(response.status).toBe(400)
      expect((await errorOf(response)).code).toBe('BAD_REQUEST')
    }
    const query = await fetch(`${url()}/merge/1?__proto__=polluted`, { method: 'POST' })
    expect(query.status).toBe(400)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  test('params, query and body merge into input', async () => {
    const response = await post(`${url()}/merge/7?tag=a&tag=b`, JSON.stringify({ note: 'n' }))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ input: { id: '7', tag: ['a', 'b'], note: 'n' } })
  })

  test('the same key in two places is a 400 CONFLICTING_INPUT', async () => {
    const fromQuery = await fetch(`${url()}/merge/7?id=8`, { method: 'POST' })
    expect(fromQuery.status).toBe(400)
    expect((await errorOf(fromQuery)).code).toBe('CONFLICTING_INPUT')
    const fromBody = await post(`${url()}/merge/7`, JSON.stringify({ id: '9' }))
    expect(fromBody.status).toBe(400)
    expect((await errorOf(fromBody)).code).toBe('CONFLICTING_INPUT')
  })

  test('an unknown route is a 404 with a JSON body', async () => {
    const response = await fetch(`${url()}/nowhere`)
    expect(response.status).toBe(404)
    expect((await errorOf(response)).code).toBe('NOT_FOUND')
  })

  test('a wrong method is a 405 with Allow', async () => {
    const response = await fetch(`${url()}/health`, { method: 'DELETE' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, HEAD')
    expect((await errorOf(response)).code).toBe('METHOD_NOT_ALLOWED')
  })

  test('GET /private needs Bearer ok (401 otherwise)', async () => {
    const missing = await fetch(`${url()}/private`)
    expect(missing.status).toBe(401)
    expect((await errorOf(missing)).code).toBe('UNAUTHORIZED')
    const wrong = await fetch(`${url()}/private`, { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    const right = await fetch(`${url()}/private`, { headers: { authorization: 'Bearer ok' } })
    expect(right.status).toBe(200)
    expect(await right.json()).toEqual({ ok: true, session: { user: 'ok' } })
  })

  test('GET /memory reports the server process memory', async () => {
    const response = await fetch(`${url()}/memory`)
    const body = (await response.json()) as { rss: number; heapUsed: number }
    expect(body.rss).toBeGreaterThan(body.heapUsed)
    expect(body.heapUsed).toBeGreaterThan(0)
  })

  test('a throw before the first yield is a real status with a JSON body', async () => {
    const wire = await fetch(`${url()}/fail?after=0&kind=wire`, { headers: { accept: 'text/event-stream' } })
    expect(wire.status).toBe(500)
    expect(await errorOf(wire)).toEqual({ code: 'FAILED', message: 'The job failed on purpose' })
    const crash = await fetch(`${url()}/fail?after=0&kind=crash`)
    expect(crash.status).toBe(500)
    const text = await crash.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } })
    expect(text).not.toMatch(/secret|internal\.ts|\/srv/)
  })
}
