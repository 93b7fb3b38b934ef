import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { defineFunction, type SluiceFunction } from '../app/define-function'
import type { EventEnvelope } from '../stream/with-event'
import type { HubEvent } from './event-hub'
import { createMemoryHub } from './memory-hub'
import { pipeToChannel } from './pipe-to-channel'

type Build = { step: number; of: number }
type Topics = { [topic: `build:${string}`]: Build; alerts: string }
type EventOf<F> = F extends SluiceFunction<infer _I, infer E, infer _O> ? E : never
/** A defined function's event type, as a value for `expectTypeOf`. */
declare function eventOf<F>(f: F): EventOf<F>

const hub = createMemoryHub<Topics>()
const signal = new AbortController().signal

describe('EventHub types', () => {
  it('types publish and subscriptions from the topic map', () => {
    void hub.publish('build:42', { step: 1, of: 3 })
    void hub.publish('alerts', 'disk full')
    // @ts-expect-error: a build topic carries builds
    void hub.publish('build:42', 'done')
    // @ts-expect-error: not a topic of the map
    void hub.publish('other', 1)
    expectTypeOf(hub.subscribe('build:1', { signal })).toEqualTypeOf<
      AsyncGenerator<HubEvent<Build>, void, undefined>
    >()
    expectTypeOf<HubEvent<Build>>().toExtend<EventEnvelope<Build>>()
    // @ts-expect-error: onReset gives what the topic carries
    hub.subscribe('alerts', { signal, onReset: () => 42 })
    // @ts-expect-error: the signal is required
    hub.subscribe('alerts', {})
  })

  it('lets a generator yield* a subscription: the event type comes from the topic', () => {
    const feed = defineFunction({
      func: async function* ({ signal, lastEventId }) {
        yield* hub.subscribe('build:1', { signal, lastEventId })
      },
    })
    expectTypeOf(eventOf(feed)).toEqualTypeOf<Build>()
    defineFunction({
      event: z.object({ step: z.number(), of: z.number() }),
      func: async function* ({ signal }) {
        yield* hub.subscribe('build:1', { signal })
      },
    })
    defineFunction({
      event: z.object({ n: z.number() }),
      // @ts-expect-error: the subscription's events do not match the event schema
      func: async function* ({ signal }) {
        yield* hub.subscribe('build:1', { signal })
      },
    })
  })

  it('pipes a subscription into a channel of the same event type only', () => {
    defineFunction({
      event: z.string(),
      output: z.object({ ok: z.boolean() }),
      func: ({ channel, signal }) => {
        if (channel) void pipeToChannel(hub.subscribe('alerts', { signal }), channel)
        // @ts-expect-error: builds are not strings
        if (channel) void pipeToChannel(hub.subscribe('build:1', { signal }), channel)
        return { ok: true }
      },
    })
  })
})
