import { describe, expect, it } from 'vitest'
import { acceptsEventStream, hasBody } from './negotiate'

describe('acceptsEventStream', () => {
  it.each([
    'text/event-stream',
    'text/event-stream;q=1',
    'text/event-stream; q=0.5',
    'text/event-stream;q=0.001',
    'application/json, text/event-stream',
    'application/json;q=0.9, text/event-stream;q=0.1',
    'text/html,application/xhtml+xml, text/event-stream ;q=0.8, */*;q=0.1',
    'text/event-stream;charset=utf-8;q=0.5',
    'Text/Event-Stream',
    'TEXT/EVENT-STREAM; Q=0.5',
  ])('accepts %j', (accept) => {
    expect(acceptsEventStream(accept)).toBe(true)
  })

  it.each([
    undefined,
    '',
    '*/*',
    'text/*',
    'application/json',
    'text/event-stream;q=0',
    'text/event-stream; q=0.0',
    'text/event-stream;q=0.000',
    'application/json, text/event-stream;q=0',
    'text/event-stream;Q=0',
    'text/event-stream;q=nonsense',
    'text/event-streams',
    'application/text/event-stream-x',
    'x-text/event-stream',
  ])('refuses %j', (accept) => {
    expect(acceptsEventStream(accept)).toBe(false)
  })
})

describe('hasBody', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('reads a body for %s', (method) => {
    expect(hasBody(method)).toBe(true)
  })

  it.each(['GET', 'HEAD', 'OPTIONS'])('reads no body for %s', (method) => {
    expect(hasBody(method)).toBe(false)
  })
})
