import {
  experimental_streamedQuery as streamedQuery,
  QueryClient,
  type QueryFunction,
} from '@tanstack/query-core'
import { describe, expectTypeOf, it } from 'vitest'
import { createCaller } from '../src'
import { liveCall, streamedCall, type StreamedData } from '../src/tanstack'

// What a query's data is typed as, from the generated method's types. Nothing here runs.
type State = { state: 'initial' | 'pending' | 'done' }
const caller = createCaller({ baseUrl: 'http://127.0.0.1:1' })
const count = caller.stream<{ to: number }, { i: number }, { total: number }>('GET', '/count')
const status = caller.progressive<undefined, State, State>('GET', '/status')

describe('streamedCall', () => {
  it('types the data as the events, then done with the typed result', () => {
    const queryFn = streamedQuery(streamedCall(({ signal }) => count({ to: 3 }, { signal })))
    expectTypeOf(queryFn).toEqualTypeOf<QueryFunction<StreamedData<{ i: number }, { total: number }>>>()
    const data = {} as StreamedData<{ i: number }, { total: number }>
    if (data.done) expectTypeOf(data.result).toEqualTypeOf<{ total: number }>()
    else expectTypeOf(data.result).toEqualTypeOf<undefined>()
  })

  it('reads the query key from the context, and refuses the append refetch mode', async () => {
    const data = await new QueryClient().query({
      queryKey: ['count', 3] as const,
      queryFn: streamedQuery(streamedCall(({ queryKey: [, to] }) => count({ to }))),
    })
    expectTypeOf(data.events).toEqualTypeOf<{ i: number }[]>()
    // @ts-expect-error 'append' would follow one run's done with the next run's events
    streamedCall(() => count({ to: 1 }), { refetchMode: 'append' })
  })
})

describe('liveCall', () => {
  it("types a progressive route's data as its value", () => {
    const queryFn = streamedQuery(liveCall(({ signal }) => status.stream(undefined, { signal })))
    expectTypeOf(queryFn).toEqualTypeOf<QueryFunction<State>>()
  })
})
