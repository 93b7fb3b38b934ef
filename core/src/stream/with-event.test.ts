import { describe, expect, it } from 'vitest'
import { checkFields, EventEnvelope, isEventId, withEvent, type EventFields } from './with-event'

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

  // Each would not come back intact as Last-Event-ID: HTTP trims the spaces around a header
  // value, servers refuse controls, node reads bytes >= 0x80 as Latin-1, uWS drops them.
  it.each([
    ['TAB', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['another control', '\u0001'],
    ['a leading space', ' a'],
    ['a trailing space', 'a '],
    ['only a space', ' '],
    ['U+0080', '\u0080'],
    ['Latin-1', 'caf\u00e9'],
    ['CJK', '\u65e5\u672c'],
    ['an emoji', '\u{1f600}'],
    ['a lone surrogate', 'a\ud800'],
  ])('rejects an id with %s, saying what would happen and which id', (_, id) => {
    expect(() => withEvent({ id }, 1)).toThrow(TypeError)
    expect(() => withEvent({ id }, 1)).toThrow(/cannot come back as Last-Event-ID.*visible ASCII/)
    expect(() => withEvent({ id }, 1)).toThrow(JSON.stringify(id))
    expect(isEventId(id)).toBe(false)
  })

  it('names a long refused id cut short', () => {
    expect(() => withEvent({ id: `${'x'.repeat(100)}\t` }, 1)).toThrow(/"x{36}\.\.\."/)
  })

  it('accepts every visible ASCII character in an id, and spaces between them', () => {
    const visible = String.fromCharCode(...Array.from({ length: 94 }, (_, k) => 0x21 + k))
    for (const id of [visible, `a b  ${visible}`, 'a  b', '~', '!']) {
      expect(withEvent({ id }, 1).fields.id).toBe(id)
      expect(isEventId(id)).toBe(true)
    }
  })

  it('still accepts any event name without CR, LF or NUL (names never come back)', () => {
    expect(() => checkFields({ event: ' caf\u00e9 \t\u{1f600} ' })).not.toThrow()
  })

  it('accepts ordinary ids, names and an empty id', () => {
    expect(() => checkFields({ id: '', event: 'progress', retry: 0 })).not.toThrow()
    expect(() => checkFields({ id: 'abc-123 with spaces', event: 'a:b' })).not.toThrow()
    expect(() => checkFields({})).not.toThrow()
  })
})
