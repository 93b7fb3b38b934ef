import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeEvent, withEvent, type EventFields } from '@sluice/core'
import { parseEventStream } from '../src'

// The server's encoder and the client's parser, end to end: whatever a function yields either
// arrives exactly as it was sent, or is refused before a byte is written.
const encoder = new TextEncoder()

async function parse(text: string): Promise<{ event: string; data: string; lastEventId: string }[]> {
  const events = []
  async function* source(): AsyncGenerator<Uint8Array> {
    yield encoder.encode(text)
  }
  for await (const event of parseEventStream(source())) events.push(event)
  return events
}

// Any code points, printable ASCII (most ids are), plus the values most likely to break a
// field: line endings, NUL, TAB, lone surrogates (UTF-8 cannot carry them), the reserved names,
// the empty string, and spaces at either end (HTTP trims them off a Last-Event-ID).
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.constantFrom('\uD800', 'a\uDC00b', '\r', 'a\nb', '\0', 'done', 'error', '', ' lead', 'x:y'),
  fc.constantFrom('trail ', 'a b', 'a\tb', 'caf\u00e9', '\u007f'),
)
const json = fc.jsonValue({ maxDepth: 3 })

// Whether a string survives UTF-8 (what ES2024's String.prototype.isWellFormed answers): a
// lone surrogate is encoded as U+FFFD and so decodes to something else.
function isWellFormed(text: string): boolean {
  return new TextDecoder().decode(encoder.encode(text)) === text
}

describe('encode -> parseEventStream', () => {
  it('round-trips any value with any accepted fields, and refuses the rest before writing', async () => {
    await fc.assert(
      fc.asyncProperty(
        json,
        fc.option(anyString, { nil: undefined }),
        fc.option(anyString, { nil: undefined }),
        fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
        async (value, id, event, retry) => {
          const fields: EventFields = { id, event, retry }
          let envelope
          try {
            envelope = withEvent(fields, value)
          } catch (error) {
            // Refused: it must be one of the documented reasons.
            expect(error).toBeInstanceOf(TypeError)
            const unsafe = (text: string) => /[\r\n\0]/.test(text) || !isWellFormed(text)
            const reserved = (name: string) => name === '' || name === 'done' || name === 'error'
            // An id must come back as Last-Event-ID: printable ASCII, no space at either end.
            const resumable = (text: string) => /^[ -~]*$/.test(text) && text.trim() === text
            const bad =
              (id !== undefined && !resumable(id)) ||
              (event !== undefined && (reserved(event) || unsafe(event))) ||
              (retry !== undefined && !(Number.isSafeInteger(retry) && retry >= 0))
            expect(bad).toBe(true)
            return
          }
          const text = encodeEvent(JSON.stringify(envelope.data), envelope.fields)
          const events = await parse(text)
          expect(events).toHaveLength(1)
          // The wire carries JSON: a value arrives as its JSON form (-0 as 0).
          expect(JSON.parse(events[0]?.data ?? '')).toEqual(JSON.parse(JSON.stringify(value)))
          expect(events[0]?.event).toBe(event ?? 'message')
          expect(events[0]?.lastEventId).toBe(id ?? '')
        },
      ),
      { numRuns: 2000 },
    )
  })
})
