import { describe, expect, it } from 'vitest'
import { checkFields, EventEnvelope, withEvent, type EventFields } from './with-event'

const injections = ['a\nevent: x', 'a\r\ndata: y', 'a\rretry: 1', 'a\0', '\n', '\r', '\0']

describe('withEvent', () => {
  it('wraps data with its fields', () => {
    const envelope = withEvent({ id: '1', event: 'tick', retry: 10 }, { n: 1 })
    expect(envelope).toBeInstanceOf(EventEnvelope)
    expect(envelope.data).toEqual({ n: 1 })
    expect(envelope.fields).toEqual({ id: '1', event: 'tick', retry: 10 })
  })

  it.each(injections)('rejects CR, LF or NUL in id (%j)', (id) => {
    expect(() => withEvent({ id }, 1)).toThrow(TypeError)
    expect(() => checkFields({ id })).toThrow(/id/)
  })

  it.each(injections)('rejects CR, LF or NUL in event (%j)', (event) => {
    expect(() => withEvent({ event }, 1)).toThrow(TypeError)
    expect(() => checkFields({ event })).toThrow(/event name/)
  })

  it('rejects an empty event name', () => {
    expect(() => withEvent({ event: '' }, 1)).toThrow(TypeError)
  })

  it.each(['done', 'error'])('rejects the reserved event name %s', (event) => {
    expect(() => withEvent({ event }, 1)).toThrow(/reserved/)
  })

  it('accepts event names that only resemble the reserved ones', () => {
    expect(() => checkFields({ event: 'Done' })).not.toThrow()
    expect(() => checkFields({ event: 'errors' })).not.toThrow()
    expect(() => checkFields({ event: 'message' })).not.toThrow()
  })

  it('rejects non-string id and event', () => {
    expect(() => checkFields({ id: 1 } as unknown as EventFields)).toThrow(TypeError)
    expect(() => checkFields({ event: {} } as unknown as EventFields)).toThrow(TypeError)
  })

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53])(
    'rejects retry %s',
    (retry) => {
      expect(() => withEvent({ retry }, 1)).toThrow(/retry/)
    },
  )

  it('rejects a retry that is not a number', () => {
    expect(() => withEvent({ retry: '5' as unknown as number }, 1)).toThrow(TypeError)
  })

  it.each([0, 1, 2_000, Number.MAX_SAFE_INTEGER])('accepts retry %s', (retry) => {
    expect(withEvent({ retry }, 1).fields.retry).toBe(retry)
  })

  it('accepts ordinary ids, names and an empty id', () => {
    expect(() => checkFields({ id: '', event: 'progress', retry: 0 })).not.toThrow()
    expect(() => checkFields({ id: 'abc-123 with spaces', event: 'a:b' })).not.toThrow()
    expect(() => checkFields({})).not.toThrow()
  })
})
