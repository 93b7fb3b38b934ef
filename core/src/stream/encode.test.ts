import { describe, expect, it } from 'vitest'
import { encodeComment, encodeEvent, encodeJson } from './encode'

describe('encodeEvent', () => {
  it('writes a single-line value as one data field and a blank line', () => {
    expect(encodeEvent('{"a":1}')).toBe('data: {"a":1}\n\n')
  })

  it.each([
    ['LF', 'a\nb', 'data: a\ndata: b\n\n'],
    ['CRLF', 'a\r\nb', 'data: a\ndata: b\n\n'],
    ['lone CR', 'a\rb', 'data: a\ndata: b\n\n'],
    ['mixed', 'a\r\nb\rc\nd', 'data: a\ndata: b\ndata: c\ndata: d\n\n'],
    ['CR then LF as separate breaks after CRLF', 'a\r\n\nb', 'data: a\ndata: \ndata: b\n\n'],
    ['LF then CR counts as two breaks', 'a\n\rb', 'data: a\ndata: \ndata: b\n\n'],
    ['trailing newline', 'a\n', 'data: a\ndata: \n\n'],
    ['leading newline', '\na', 'data: \ndata: a\n\n'],
    ['only a newline', '\r\n', 'data: \ndata: \n\n'],
  ])('splits data on every line ending (%s)', (_name, data, expected) => {
    expect(encodeEvent(data)).toBe(expected)
  })

  it('never lets a raw CR or LF escape into a field value', () => {
    const frame = encodeEvent('x\r\nevent: evil\rid: 9\ndata: y')
    const lines = frame.split('\n')
    expect(frame).not.toContain('\r')
    expect(lines.filter((line) => line !== '').every((line) => line.startsWith('data: '))).toBe(true)
  })

  it('writes an empty string as one empty data field', () => {
    expect(encodeEvent('')).toBe('data: \n\n')
  })

  it('writes fields in the order event, id, retry before the data', () => {
    expect(encodeEvent('1', { retry: 500, id: '7', event: 'tick' })).toBe(
      'event: tick\nid: 7\nretry: 500\ndata: 1\n\n',
    )
  })

  it('writes only the fields that are given', () => {
    expect(encodeEvent('1', { id: '7' })).toBe('id: 7\ndata: 1\n\n')
    expect(encodeEvent('1', { retry: 0 })).toBe('retry: 0\ndata: 1\n\n')
    expect(encodeEvent('1', { id: '' })).toBe('id: \ndata: 1\n\n')
  })

  it('writes no event line when there is no event name', () => {
    expect(encodeEvent('1', {})).toBe('data: 1\n\n')
    expect(encodeEvent('1', { id: '1' })).not.toContain('event:')
    expect(encodeEvent('1')).not.toContain('event:')
  })

  it('combines fields with multi-line data', () => {
    expect(encodeEvent('a\nb', { event: 'e' })).toBe('event: e\ndata: a\ndata: b\n\n')
  })
})

describe('encodeComment', () => {
  it('writes a comment line followed by a blank line', () => {
    expect(encodeComment('ping')).toBe(': ping\n\n')
  })
})

describe('encodeJson', () => {
  it('encodes values as JSON', () => {
    expect(encodeJson({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}')
    expect(encodeJson('s')).toBe('"s"')
    expect(encodeJson(null)).toBe('null')
    expect(encodeJson(0)).toBe('0')
  })

  it('turns undefined into null so data is never empty', () => {
    expect(encodeJson(undefined)).toBe('null')
  })

  it('escapes line breaks inside strings, so JSON data is one line', () => {
    const json = encodeJson({ text: 'a\r\nb\u2028' })
    expect(json).not.toMatch(/[\r\n]/)
    expect(encodeEvent(json)).toBe(`data: ${json}\n\n`)
  })
})
