import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { ChunkSink, CoreStream } from '@sluice/core/adapter'
import { ChunkReadable } from '../src/chunk-readable'

// The Readable Fastify pipes a stream from: every chunk in order, nothing pushed while it holds
// enough, and the stream's return() when it is destroyed (the client left).

async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await nextTurn()
}

/** A stream as core's engine behaves: it pushes while the sink takes more, and waits for resume(). */
class ListStream implements CoreStream {
  sink: ChunkSink | undefined
  written = 0
  returned = false
  constructor(private readonly chunks: string[]) {}
  pushTo(sink: ChunkSink): void {
    this.sink = sink
    this.resume()
  }
  resume(): void {
    const { sink } = this
    if (sink === undefined || this.returned) return
    while (this.written < this.chunks.length) {
      if (!sink.write(this.chunks[this.written++] as string)) return
    }
    sink.end()
  }
  return(): Promise<IteratorResult<string>> {
    this.returned = true
    return Promise.resolve({ done: true, value: undefined })
  }
  next(): Promise<IteratorResult<string>> {
    return Promise.reject(new Error('pushed, not read'))
  }
  [Symbol.asyncIterator](): this {
    return this
  }
}

describe('ChunkReadable', () => {
  it('gives every chunk in order as bytes, then ends', async () => {
    const received: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk)
        done()
      },
    })
    await pipeline(new ChunkReadable(new ListStream(['data: 1\n\n', 'data: é\n\n', 'data: 3\n\n'])), sink)
    expect(Buffer.concat(received).toString()).toBe('data: 1\n\ndata: é\n\ndata: 3\n\n')
  })

  it('takes no chunk past the one waiting to be read', async () => {
    const stream = new ListStream(Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`))
    const readable = new ChunkReadable(stream)
    readable.pause()
    readable.read(0)
    await turns(20)
    expect(stream.written).toBe(1)
    let read = 0
    for (let round = 0; round < 3; round++) {
      read += (String(readable.read() as Buffer).match(/\n\n/g) ?? []).length
      await turns(20)
      // However long the reader waits, one chunk at most waits for it.
      expect(stream.written).toBe(read + 1)
    }
    readable.destroy()
  })

  it('returns the stream when destroyed (the client left), then closes', async () => {
    const stream = new ListStream(Array.from({ length: 50 }, () => 'data: x\n\n'))
    const readable = new ChunkReadable(stream)
    readable.read(0)
    await turns(5)
    const closed = new Promise((resolve) => readable.once('close', resolve))
    readable.destroy()
    await closed
    expect(stream.returned).toBe(true)
  })
})
