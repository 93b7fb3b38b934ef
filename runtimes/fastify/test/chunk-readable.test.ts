import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { ChunkReadable } from '../src/chunk-readable'

// The Readable Fastify pipes a stream from: what Readable.from gave before, kept (order, one
// chunk ahead at most, return() when destroyed, an iterator failure as the stream's error).

async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await nextTurn()
}

describe('ChunkReadable', () => {
  it('gives every chunk in order as bytes, then ends', async () => {
    async function* chunks() {
      yield 'data: 1\n\n'
      yield ''
      yield 'data: é\n\n'
    }
    const received: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk)
        done()
      },
    })
    await pipeline(new ChunkReadable(chunks()), sink)
    expect(Buffer.concat(received).toString()).toBe('data: 1\n\ndata: é\n\n')
  })

  it('pulls no chunk past the one waiting to be read', async () => {
    let pulled = 0
    async function* endless() {
      for (;;) {
        pulled++
        yield 'data: x\n\n'
      }
    }
    const readable = new ChunkReadable(endless())
    readable.pause()
    readable.read(0)
    await turns(20)
    expect(pulled).toBe(1)
    expect(String(readable.read() as Buffer)).toBe('data: x\n\n')
    await turns(20)
    expect(pulled).toBe(2)
    readable.destroy()
  })

  it("runs the source's finally when destroyed (the client left), then closes", async () => {
    let cleaned = false
    async function* chunks() {
      try {
        for (;;) yield 'data: x\n\n'
      } finally {
        cleaned = true
      }
    }
    const readable = new ChunkReadable(chunks())
    readable.read(0)
    await turns(5)
    const closed = new Promise((resolve) => readable.once('close', resolve))
    readable.destroy()
    await closed
    expect(cleaned).toBe(true)
  })

  it("fails with the source's error", async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'data: 1\n\n'
      throw new Error('source broke')
    }
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() })
    await expect(pipeline(new ChunkReadable(failing()), sink)).rejects.toThrow('source broke')
  })
})
