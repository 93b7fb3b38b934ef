import { readFile } from 'node:fs/promises'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { EventTooLargeError, parseEventStream, type ParseOptions, type SseEvent } from './parse-event-stream'

interface Vector {
  name: string
  chunks: string[]
  events: SseEvent[]
  retries: number[]
}

// The WHATWG test vectors (BOM, CR/LF/CRLF across chunks, split UTF-8, ids with NUL, retry).
const vectorsUrl = new URL('../test/fixtures/sse-vectors.json', import.meta.url)
const { vectors } = JSON.parse(await readFile(vectorsUrl, 'utf8')) as { vectors: Vector[] }

/** A binary string (one char per byte) as bytes. */
const bytes = (binary: string) => Uint8Array.from(binary, (char) => char.charCodeAt(0))

async function* iterate(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks
}

async function collect(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): Promise<{ events: SseEvent[]; retries: number[] }> {
  const events: SseEvent[] = []
  const retries: number[] = []
  for await (const event of parseEventStream(source, { ...options, onRetry: (ms) => retries.push(ms) })) {
    events.push(event)
  }
  return { events, retries }
}

/** Every byte in a chunk of its own. */
const byteByByte = (chunks: Uint8Array[]) =>
  chunks.flatMap((chunk) => Array.from(chunk, (b) => Uint8Array.of(b)))
const concat = (chunks: Uint8Array[]) => Uint8Array.from(chunks.flatMap((chunk) => Array.from(chunk)))

describe('parseEventStream: shared vectors', () => {
  it('loads the vectors', () => {
    expect(vectors.length).toBeGreaterThan(0)
  })

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const chunks = vector.chunks.map(bytes)
    const expected = { events: vector.events, retries: vector.retries }
    expect(await collect(iterate(chunks))).toEqual(expected)
    // The same bytes give the same events however they are cut.
    expect(await collect(iterate([concat(chunks)]))).toEqual(expected)
    expect(await collect(iterate(byteByByte(chunks)))).toEqual(expected)
  })
})

describe('parseEventStream: decoding', () => {
  it('turns invalid UTF-8 into U+FFFD, also when a truncated character spans chunks', async () => {
    const chunks = [bytes('data: \xff\xfe\n'), bytes('data: \xe2\x82'), bytes('x\n\n')]
    const { events } = await collect(iterate(chunks))
    expect(events.map((event) => event.data)).toEqual(['\uFFFD\uFFFD\n\uFFFDx'])
  })

  it('strips only one leading BOM', async () => {
    const { events } = await collect(iterate([bytes('\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n')]))
    // The second BOM belongs to the first field name, which is then unknown.
    expect(events.map((event) => event.data)).toEqual(['y'])
  })

  it('keeps a BOM that does not start the stream', async () => {
    const { events } = await collect(iterate([bytes('data: \xef\xbb\xbfx\n\n')]))
    expect(events.map((event) => event.data)).toEqual(['\uFEFFx'])
  })

  it('accepts a retry value of ASCII digits only', async () => {
    const { retries } = await collect(
      iterate([bytes('retry: 0\nretry: -1\nretry: +5\nretry:  7\nretry: 8 \n')]),
    )
    expect(retries).toEqual([0])
  })
})

// A model of a valid stream: blocks of fields, each followed by a blank line, then maybe an unfinished block.
type Field =
  | { kind: 'data' | 'event' | 'id' | 'comment' | 'retry'; value: string }
  | { kind: 'unknown'; name: string; value: string }

interface Stream {
  bom: boolean
  blocks: { fields: Field[]; blankLines: number }[]
  unfinished: Field[]
  tail: string // a last line without a line ending
  endings: ('\n' | '\r' | '\r\n')[]
  colonSpace: boolean[]
}

const lineEnding = /\r\n|\r|\n/
const oneCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
const anyText = fc.string({
  unit: fc.oneof(oneCodePoint, fc.constantFrom('\n', '\r', '\r\n', '€', '😀', 'é', '我', '\0', ' ', ':')),
  maxLength: 30,
})
const lineText = anyText.map((text) => text.replace(/[\r\n]/g, ''))
const field: fc.Arbitrary<Field> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('data' as const), value: anyText }) },
  fc.record({ kind: fc.constant('event' as const), value: lineText }),
  fc.record({ kind: fc.constant('id' as const), value: lineText }), // with a NUL: ignored
  fc.record({ kind: fc.constant('comment' as const), value: lineText }),
  fc.record({
    kind: fc.constant('retry' as const),
    value: fc.oneof(fc.nat().map(String), fc.stringMatching(/^[0-9]{0,3}[a-z ]?[0-9]{0,3}$/)),
  }),
  fc.record({
    kind: fc.constant('unknown' as const),
    name: fc.constantFrom('Data', 'ID', 'dat', 'retry ', ' event', 'x'),
    value: lineText,
  }),
)
const stream: fc.Arbitrary<Stream> = fc.record({
  bom: fc.boolean(),
  blocks: fc.array(fc.record({ fields: fc.array(field, { maxLength: 6 }), blankLines: fc.nat(2) }), {
    maxLength: 8,
  }),
  unfinished: fc.array(field, { maxLength: 3 }),
  tail: lineText,
  endings: fc.array(fc.constantFrom('\n' as const, '\r' as const, '\r\n' as const), { minLength: 1 }),
  colonSpace: fc.array(fc.boolean(), { minLength: 1 }),
})

function encode(model: Stream): Uint8Array {
  let text = ''
  let lineCount = 0
  let lastEnding = ''
  const pick = <T>(list: T[]) => list[lineCount % list.length] as T
  const line = (content: string) => {
    let ending = pick(model.endings)
    // A CR then an empty line ending in LF would read as one CRLF: the blank line would vanish.
    if (content === '' && lastEnding === '\r' && ending === '\n') ending = '\r\n'
    text += content + ending
    lastEnding = ending
    lineCount++
  }
  // One leading space is removed from a value, so a value that starts with a space needs ': '.
  const separator = (value: string) => (pick(model.colonSpace) || value.startsWith(' ') ? ': ' : ':')
  const fieldLines = (fields: Field[]) => {
    for (const f of fields) {
      const name = f.kind === 'unknown' ? f.name : f.kind
      const values = f.kind === 'data' ? f.value.split(lineEnding) : [f.value]
      for (const value of values)
        line(f.kind === 'comment' ? `:${value}` : `${name}${separator(value)}${value}`)
    }
  }
  for (const block of model.blocks) {
    fieldLines(block.fields)
    for (let i = 0; i <= block.blankLines; i++) line('')
  }
  fieldLines(model.unfinished)
  text += model.tail
  const body = new TextEncoder().encode(text)
  return model.bom ? Uint8Array.of(0xef, 0xbb, 0xbf, ...body) : body
}

/** What the stream means, computed from the model rather than from its bytes. */
function interpret(model: Stream): { events: SseEvent[]; retries: number[] } {
  const events: SseEvent[] = []
  const retries: number[] = []
  let lastEventId = ''
  const apply = (fields: Field[]) => {
    const data: string[] = []
    let type = ''
    for (const f of fields) {
      if (f.kind === 'data') data.push(f.value.split(lineEnding).join('\n'))
      if (f.kind === 'event') type = f.value
      if (f.kind === 'id' && !f.value.includes('\0')) lastEventId = f.value
      if (f.kind === 'retry' && /^[0-9]+$/.test(f.value)) retries.push(Number(f.value))
    }
    return data.length === 0 ? undefined : { event: type || 'message', data: data.join('\n'), lastEventId }
  }
  for (const block of model.blocks) {
    const event = apply(block.fields)
    if (event) events.push(event)
  }
  apply(model.unfinished) // ids and retries count; the event is never dispatched
  return { events, retries }
}

/** Cuts bytes at the given positions; repeated positions make empty chunks. */
function cut(body: Uint8Array, positions: number[]): Uint8Array[] {
  const points = positions.map((p) => p % (body.length + 1)).sort((a, b) => a - b)
  return [0, ...points].map((start, i) => body.slice(start, points[i] ?? body.length))
}

describe('parseEventStream: any valid stream', () => {
  it('gives the model events, however the bytes are cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(stream, fc.array(fc.nat(), { maxLength: 40 }), async (model, positions) => {
        const body = encode(model)
        const expected = interpret(model)
        const whole = await collect(iterate([body]))
        expect(whole).toEqual(expected)
        expect(await collect(iterate(cut(body, positions)))).toEqual(whole)
      }),
      { numRuns: 500 },
    )
  })

  it('gives the same events byte by byte', async () => {
    await fc.assert(
      fc.asyncProperty(stream, async (model) => {
        const body = encode(model)
        expect(await collect(iterate(byteByByte([body])))).toEqual(interpret(model))
      }),
      { numRuns: 100 },
    )
  })
})

describe('parseEventStream: maxEventBytes', () => {
  it('stops reading an endless line without a line ending', async () => {
    let pulled = 0
    let finalized = false
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          pulled++
          yield new Uint8Array(1024).fill(0x61) // 'a', never a line ending
        }
      } finally {
        finalized = true
      }
    }
    const error: unknown = await collect(endless(), { maxEventBytes: 10_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EventTooLargeError)
    expect((error as EventTooLargeError).limit).toBe(10_000)
    expect((error as Error).message).toContain('10000')
    expect(pulled).toBeLessThanOrEqual(10) // 10 KiB read, then the check failed: nothing more
    expect(finalized).toBe(true)
  })

  it('stops reading an endless event made of short data lines', async () => {
    let pulled = 0
    const cancel = vi.fn()
    const source = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        pulled++
        controller.enqueue(bytes('data: 0123456789\n'))
      },
      cancel,
    })
    await expect(collect(source, { maxEventBytes: 1000 })).rejects.toThrow(EventTooLargeError)
    expect(pulled).toBeLessThan(100)
    expect(cancel).toHaveBeenCalledOnce()
    expect(source.locked).toBe(false)
  })

  it('counts the data and the current line, the same way however the bytes are cut', async () => {
    const fits = bytes('data: 1234\ndata: 123456789\n\n') // data 'x\n' 5 + line 15 = 20
    const tooLarge = bytes('data: 1234\ndata: 1234567890\n\n')
    for (const chunks of [[fits], byteByByte([fits])]) {
      const { events } = await collect(iterate(chunks), { maxEventBytes: 20 })
      expect(events.map((event) => event.data)).toEqual(['1234\n123456789'])
    }
    for (const chunks of [[tooLarge], byteByByte([tooLarge])]) {
      await expect(collect(iterate(chunks), { maxEventBytes: 20 })).rejects.toThrow(EventTooLargeError)
    }
  })

  it('delivers the events before the one that is too large', async () => {
    const events: string[] = []
    const parse = async () => {
      const source = iterate([bytes('data: ok\n\ndata: '), bytes('x'.repeat(100))])
      for await (const event of parseEventStream(source, { maxEventBytes: 50 })) events.push(event.data)
    }
    await expect(parse()).rejects.toThrow(EventTooLargeError)
    expect(events).toEqual(['ok'])
  })
})

describe('parseEventStream: sources and cancellation', () => {
  const twoEvents = 'id: 1\ndata: a\n\nevent: b\ndata: b\n\n'
  const expected = [
    { event: 'message', data: 'a', lastEventId: '1' },
    { event: 'b', data: 'b', lastEventId: '1' },
  ]

  it('reads a ReadableStream and releases its reader at the end', async () => {
    const source = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(bytes(twoEvents.slice(0, 10)))
        controller.enqueue(bytes(twoEvents.slice(10)))
        controller.close()
      },
    })
    expect((await collect(source)).events).toEqual(expected)
    expect(source.locked).toBe(false)
  })

  it('reads an AsyncIterable that is not a ReadableStream', async () => {
    const source: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterate([bytes(twoEvents)]) }
    expect((await collect(source)).events).toEqual(expected)
  })

  it('propagates a source error and releases the reader', async () => {
    const source = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(bytes('data: a\n\n'))
        controller.error(new Error('connection reset'))
      },
    })
    await expect(collect(source)).rejects.toThrow('connection reset')
    expect(source.locked).toBe(false)
  })

  it('cancels a ReadableStream when the consumer breaks out of for await', async () => {
    const cancel = vi.fn()
    const source = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(bytes('data: tick\n\n')),
      cancel,
    })
    let seen = 0
    for await (const event of parseEventStream(source)) {
      expect(event.data).toBe('tick')
      if (++seen === 3) break
    }
    expect(cancel).toHaveBeenCalledOnce()
    expect(source.locked).toBe(false)
  })

  it("runs an async generator's finally when the consumer breaks out of for await", async () => {
    let finalized = false
    async function* ticks(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield bytes('data: tick\n\n')
      } finally {
        finalized = true
      }
    }
    for await (const event of parseEventStream(ticks())) {
      expect(event.data).toBe('tick')
      break
    }
    expect(finalized).toBe(true)
  })

  it('stops a pending read on abort, throws the reason and cancels the stream', async () => {
    const cancel = vi.fn()
    const source = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(bytes('data: first\n\n')), // then silence
      cancel,
    })
    const controller = new AbortController()
    const events: string[] = []
    const parse = async () => {
      for await (const event of parseEventStream(source, { signal: controller.signal })) {
        events.push(event.data)
        setTimeout(() => controller.abort(), 0) // while the next read waits
      }
    }
    await expect(parse()).rejects.toMatchObject({ name: 'AbortError' })
    expect(events).toEqual(['first'])
    expect(cancel).toHaveBeenCalledWith(controller.signal.reason)
    await vi.waitFor(() => expect(source.locked).toBe(false))
  })

  it('stops an AsyncIterable that never yields again on abort', async () => {
    async function* silentAfterOne(): AsyncGenerator<Uint8Array> {
      yield bytes('data: first\n\n')
      await new Promise(() => undefined)
    }
    const controller = new AbortController()
    const events: string[] = []
    const parse = async () => {
      for await (const event of parseEventStream(silentAfterOne(), { signal: controller.signal })) {
        events.push(event.data)
        setTimeout(() => controller.abort(new Error('user left')), 0)
      }
    }
    await expect(parse()).rejects.toThrow('user left')
    expect(events).toEqual(['first'])
  })

  it('delivers no further event once aborted, even one already read', async () => {
    const controller = new AbortController()
    const events = parseEventStream(iterate([bytes(twoEvents)]), { signal: controller.signal })
    expect((await events.next()).value).toEqual(expected[0])
    controller.abort()
    await expect(events.next()).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('reads nothing and cancels the stream when the signal is already aborted', async () => {
    const cancel = vi.fn()
    const source = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(bytes('data: a\n\n')), cancel })
    await expect(collect(source, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(cancel).toHaveBeenCalledOnce()
  })
})
