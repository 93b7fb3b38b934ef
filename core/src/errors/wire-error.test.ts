import { describe, expect, it } from 'vitest'
import { statusByCode, toStatus } from './status-table'
import { toErrorBody, toWireError, WireError } from './wire-error'

const expected = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  CONFLICTING_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  INVALID_OUTPUT: 500,
  SERVICE_UNAVAILABLE: 503,
} as const

describe('status table', () => {
  it('holds exactly the documented codes', () => {
    expect(statusByCode).toEqual(expected)
  })

  it.each(Object.entries(expected))('maps %s to %i', (code, status) => {
    expect(toStatus(code)).toBe(status)
    expect(new WireError(code, 'm').status).toBe(status)
  })

  it.each(['SOMETHING_ELSE', '', 'not_found', 'toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'maps the unknown code %j to 500',
    (code) => {
      expect(toStatus(code)).toBe(500)
      expect(new WireError(code, 'm').status).toBe(500)
    },
  )
})

describe('WireError', () => {
  it('keeps code, message and name', () => {
    const error = new WireError('NOT_FOUND', 'No such job')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('WireError')
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toBe('No such job')
    expect(error.details).toBeUndefined()
    expect(error.cause).toBeUndefined()
  })

  it('lets an explicit status win over the table', () => {
    expect(new WireError('NOT_FOUND', 'gone', { status: 410 }).status).toBe(410)
    expect(new WireError('CUSTOM', 'teapot', { status: 418 }).status).toBe(418)
  })

  it('keeps details and cause', () => {
    const cause = new Error('db down')
    const error = new WireError('SERVICE_UNAVAILABLE', 'Try later', { details: { retryIn: 5 }, cause })
    expect(error.details).toEqual({ retryIn: 5 })
    expect(error.cause).toBe(cause)
  })
})

describe('toWireError', () => {
  it('returns a WireError unchanged', () => {
    const error = new WireError('CONFLICT', 'Already running', { status: 409 })
    expect(toWireError(error)).toBe(error)
  })

  it.each([
    ['an Error', new Error('secret: /srv/app/db.ts password=hunter2')],
    ['a TypeError', new TypeError('Cannot read properties of undefined')],
    ['a string', 'secret string'],
    ['an object', { code: 'NOT_FOUND', message: 'pretend wire error', status: 404 }],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('turns %s into INTERNAL with a generic message', (_name, thrown) => {
    const error = toWireError(thrown)
    expect(error).toBeInstanceOf(WireError)
    expect(error.code).toBe('INTERNAL')
    expect(error.status).toBe(500)
    expect(error.message).toBe('Internal server error')
    expect(error.details).toBeUndefined()
    expect(error.cause).toBe(thrown)
    expect(JSON.stringify(toErrorBody(error))).toBe('{"code":"INTERNAL","message":"Internal server error"}')
  })

  it('does not trust an Error subclass that only looks like a WireError', () => {
    const impostor = Object.assign(new Error('internal detail'), { code: 'NOT_FOUND', status: 404 })
    expect(toWireError(impostor).code).toBe('INTERNAL')
  })
})

describe('toErrorBody', () => {
  it('has code and message only when there are no details', () => {
    const body = toErrorBody(new WireError('NOT_FOUND', 'No such job', { cause: new Error('x') }))
    expect(body).toStrictEqual({ code: 'NOT_FOUND', message: 'No such job' })
    expect(Object.keys(body)).toEqual(['code', 'message'])
  })

  it('includes details when they are set', () => {
    const details = { issues: [{ path: ['a'], message: 'Required' }] }
    expect(toErrorBody(new WireError('VALIDATION_ERROR', 'Invalid', { details }))).toStrictEqual({
      code: 'VALIDATION_ERROR',
      message: 'Invalid',
      details,
    })
  })

  it('includes falsy details that are set', () => {
    expect(toErrorBody(new WireError('X', 'm', { details: null }))).toHaveProperty('details', null)
    expect(toErrorBody(new WireError('X', 'm', { details: 0 }))).toHaveProperty('details', 0)
  })

  it('never includes the cause or the status', () => {
    const json = JSON.stringify(
      toErrorBody(new WireError('X', 'm', { cause: new Error('secret'), status: 418 })),
    )
    expect(json).not.toContain('secret')
    expect(json).not.toContain('418')
  })
})
