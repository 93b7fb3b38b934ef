import { describe, expect, it, vi } from 'vitest'
import { ChannelQueue } from './channel'
import { withEvent } from './with-event'

function create(maxQueued = 10) {
  const onOverflow = vi.fn<() => void>()
  const channel = new ChannelQueue<number, string>(maxQueued, onOverflow)
  return { channel, onOverflow }
}

describe('ChannelQueue', () => {
  it('queues values sent before next() and hands them out in order', async () => {
    const { channel } = create()
    expect(channel.send(1)).toBe(true)
    expect(channel.send(2)).toBe(true)
    expect(await channel.next()).toEqual({ done: false, value: 1 })
    expect(await channel.next()).toEqual({ done: false, value: 2 })
  })

  it('hands a value sent after next() straight to the waiting reader', async () => {
    const { channel } = create()
    const pending = channel.next()
    let settled = false
    void pending.then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    expect(channel.send(7)).toBe(true)
    expect(await pending).toEqual({ done: false, value: 7 })
  })

  it('passes envelopes through unchanged', async () => {
    const { channel } = create()
    const envelope = withEvent({ id: '1' }, 3)
    channel.send(envelope)
    expect((await channel.next()).value).toBe(envelope)
  })

  it('drains queued values before the close value', async () => {
    const { channel } = create()
    channel.send(1)
    channel.send(2)
    channel.close('bye')
    expect(channel.closed).toBe(true)
    expect(await channel.next()).toEqual({ done: false, value: 1 })
    expect(await channel.next()).toEqual({ done: false, value: 2 })
    expect(await channel.next()).toEqual({ done: true, value: 'bye' })
    expect(await channel.next()).toEqual({ done: true, value: 'bye' })
  })

  it('ends a waiting reader when closed', async () => {
    const { channel } = create()
    const pending = channel.next()
    channel.close('end')
    expect(await pending).toEqual({ done: true, value: 'end' })
  })

  it('refuses sends after close, and a second close does not change the value', async () => {
    const { channel } = create()
    channel.close('first')
    expect(channel.send(1)).toBe(false)
    channel.close('second')
    expect(await channel.next()).toEqual({ done: true, value: 'first' })
  })

  it('calls onOverflow once past maxQueued, refuses the send, and drops the queue', async () => {
    const { channel, onOverflow } = create(2)
    expect(channel.send(1)).toBe(true)
    expect(channel.send(2)).toBe(true)
    expect(onOverflow).not.toHaveBeenCalled()
    expect(channel.send(3)).toBe(false)
    expect(onOverflow).toHaveBeenCalledTimes(1)
    expect(channel.closed).toBe(true)
    expect(channel.send(4)).toBe(false)
    expect(channel.send(5)).toBe(false)
    expect(onOverflow).toHaveBeenCalledTimes(1)
    // Ends without a done value: the client reconnects and resumes.
    expect(await channel.next()).toEqual({ done: true, value: undefined })
  })

  it('does not count values handed straight to a waiting reader against the limit', async () => {
    const { channel, onOverflow } = create(1)
    for (let i = 0; i < 5; i++) {
      const pending = channel.next()
      expect(channel.send(i)).toBe(true)
      expect(await pending).toEqual({ done: false, value: i })
    }
    expect(onOverflow).not.toHaveBeenCalled()
  })

  it('refuses sends after return() and ends a waiting reader', async () => {
    const { channel, onOverflow } = create()
    const pending = channel.next()
    expect(await channel.return()).toEqual({ done: true, value: undefined })
    expect(await pending).toEqual({ done: true, value: undefined })
    expect(channel.closed).toBe(true)
    expect(channel.send(1)).toBe(false)
    expect(onOverflow).not.toHaveBeenCalled()
    expect((await channel.next()).done).toBe(true)
  })

  it('discards queued values on return()', async () => {
    const { channel } = create()
    channel.send(1)
    await channel.return()
    expect((await channel.next()).done).toBe(true)
  })
})
