import { describe, expectTypeOf, it } from 'vitest'
import { createClient, type Client, type KindsEvent, type StreamCall } from './golden/fixture-client'

// The golden client of a function with several kinds (`events`), as a user sees it. Nothing
// here runs: it only has to compile (and the @ts-expect-error lines must not).
const client: Client = createClient({ baseUrl: 'http://127.0.0.1:1' })

describe('a function with several kinds', () => {
  it('yields { event, data, id } discriminated by event', async () => {
    const call = client.kinds({ to: 2 })
    expectTypeOf(call).toEqualTypeOf<StreamCall<KindsEvent, { steps: number }>>()
    for await (const e of call) {
      expectTypeOf(e.id).toEqualTypeOf<string | undefined>()
      if (e.event === 'log') expectTypeOf(e.data).toEqualTypeOf<{ line: string }>()
      else if (e.event === 'progress') expectTypeOf(e.data).toEqualTypeOf<{ done: number; total: number }>()
      else expectTypeOf(e).toEqualTypeOf<{ event: 'message'; data: { note: string }; id?: string }>()
    }
  })

  it('refuses reading one kind as another, and a kind that is not declared', async () => {
    for await (const e of client.kinds()) {
      // @ts-expect-error `line` is only on log events: narrow by `event` first
      console.log(e.data.line)
      // @ts-expect-error `audit` is not a declared kind
      if (e.event === 'audit') continue
    }
  })

  it("takes Piko's onEvent(data, event), narrowed by event, and resolves the done value", () => {
    const result = client.kinds(
      { to: 2 },
      {
        onEvent: (data, event) => {
          if (event === 'log') expectTypeOf(data).toEqualTypeOf<{ line: string }>()
          if (event === 'progress') expectTypeOf(data.total).toEqualTypeOf<number>()
        },
      },
    )
    expectTypeOf(result).toEqualTypeOf<Promise<{ steps: number }>>()
    void client.kinds(undefined, {
      // @ts-expect-error data is a union until event narrows it
      onEvent: (data, event) => console.log(data.line, event),
    })
  })

  it('a progressive route: its value is the message kind, then the declared kinds', async () => {
    expectTypeOf(client.kindsProgressive()).toEqualTypeOf<Promise<{ state: 'initial' | 'done' }>>()
    for await (const e of client.kindsProgressive.stream()) {
      if (e.event === 'message') expectTypeOf(e.data).toEqualTypeOf<{ state: 'initial' | 'done' }>()
      else expectTypeOf(e.data).toEqualTypeOf<{ line: string }>()
    }
  })

  it('keeps single-kind functions yielding the plain value, with a one-argument onEvent', async () => {
    for await (const { i } of client.getCount({ to: 1 })) expectTypeOf(i).toEqualTypeOf<number>()
    void client.getCount({ to: 1 }, { onEvent: ({ i }) => expectTypeOf(i).toEqualTypeOf<number>() })
  })
})
