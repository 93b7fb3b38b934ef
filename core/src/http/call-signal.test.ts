import { describe, expect, it } from 'vitest'
import type { CoreRequest } from '../adapter/types'
import { CallSignal } from './call-signal'

// A request whose client can be made to leave; `signal` counts its reads.
function fakeRequest(options: { onClose: boolean }) {
  const client = new AbortController()
  const listeners: ((reason: unknown) => void)[] = []
  let signalReads = 0
  const request: CoreRequest = {
    method: 'GET',
    url: '/',
    headers: {},
    httpVersion: '1.1',
    body: () => Promise.resolve(new Uint8Array()),
    get signal() {
      signalReads++
      return client.signal
    },
    ...(options.onClose
      ? { onClose: (listener: (reason: unknown) => void) => listeners.push(listener) }
      : {}),
  }
  return {
    request,
    leave: (reason: unknown) => {
      client.abort(reason)
      for (const listener of listeners) listener(reason)
    },
    signalReads: () => signalReads,
    listeners: () => listeners.length,
  }
}

describe('CallSignal', () => {
  it("follows the request's signal when the runtime has no onClose", () => {
    const fake = fakeRequest({ onClose: false })
    const call = new CallSignal(fake.request)
    const { signal } = call
    fake.leave('gone')
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe('gone')
  })

  it('uses onClose where the runtime has it, and never makes the request signal', () => {
    const fake = fakeRequest({ onClose: true })
    const call = new CallSignal(fake.request)
    const { signal } = call
    expect(fake.listeners()).toBe(1)
    fake.leave('gone')
    expect(signal.reason).toBe('gone')
    call.abort('later')
    expect(signal.reason).toBe('gone')
    expect(fake.signalReads()).toBe(0)
  })

  it('makes nothing until read, and keeps an abort from before the read', () => {
    const fake = fakeRequest({ onClose: true })
    const call = new CallSignal(fake.request)
    call.abort('ended')
    call.abort('second')
    expect(fake.listeners()).toBe(0)
    expect(call.signal.reason).toBe('ended')
    expect(fake.signalReads()).toBe(0)
  })

  it('without onClose, a client that left before an unread abort gives its reason', () => {
    const fake = fakeRequest({ onClose: false })
    const call = new CallSignal(fake.request)
    fake.leave('gone')
    call.abort('ended')
    expect(call.signal.reason).toBe('gone')
  })

  it('tells a watcher (the stream engine) the client left, without making the signal', () => {
    const fake = fakeRequest({ onClose: true })
    const call = new CallSignal(fake.request)
    const told: unknown[] = []
    call.watch((reason) => told.push(reason))
    expect(fake.listeners()).toBe(1)
    fake.leave('gone')
    call.abort('ended')
    expect(told).toEqual(['gone'])
    // Made later, the signal carries the same reason; the client is followed once.
    expect(call.signal.reason).toBe('gone')
    expect(fake.listeners()).toBe(1)
  })

  it('tells a watcher of an abort once, and at once when watched after it', () => {
    const fake = fakeRequest({ onClose: false })
    const call = new CallSignal(fake.request)
    const told: unknown[] = []
    call.watch((reason) => told.push(reason))
    call.abort('ended')
    fake.leave('gone')
    call.watch((reason) => told.push(`again: ${String(reason)}`))
    expect(told).toEqual(['ended', 'again: ended'])
  })

  it('a watcher that unwatched is not told', () => {
    const fake = fakeRequest({ onClose: true })
    const call = new CallSignal(fake.request)
    const told: unknown[] = []
    call.watch((reason) => told.push(reason))
    call.unwatch()
    fake.leave('gone')
    expect(told).toEqual([])
  })
})
