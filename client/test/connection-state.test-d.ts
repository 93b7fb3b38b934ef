import { describe, expectTypeOf, it } from 'vitest'
import {
  createCaller,
  type ConnectionState,
  type OnResponse,
  type SluiceClientError,
  type StreamCall,
} from '../src'

// Nothing here runs: it only has to compile.
describe('ConnectionState', () => {
  it('narrows by status to the fields of each state', () => {
    const show = (state: ConnectionState): string => {
      switch (state.status) {
        case 'connecting':
          return `attempt ${state.attempt}`
        case 'open':
          // @ts-expect-error an open connection has no delay
          return String(state.delayMs)
        case 'reconnecting':
          expectTypeOf(state.error).toEqualTypeOf<SluiceClientError>()
          return `in ${state.delayMs} ms, attempt ${state.attempt}`
        case 'closed':
          // @ts-expect-error only a call that did not end with done has an error
          if (state.reason === 'done') return String(state.error)
          return state.reason === 'cancelled' ? 'cancelled' : String(state.error)
      }
    }
    expectTypeOf(show).toBeFunction()
  })

  it('is what call.state is, and what onStateChange gets', () => {
    expectTypeOf<StreamCall<number, string>['state']>().toEqualTypeOf<ConnectionState>()
    const count = createCaller({ baseUrl: 'http://x' }).stream<undefined, number, string>('GET', '/count')
    void count(undefined, { onStateChange: (state) => expectTypeOf(state).toEqualTypeOf<ConnectionState>() })
  })
})

describe('hooks', () => {
  it('hand a Request and a Response, and take one back or nothing', () => {
    const onResponse: OnResponse = ({ response, retry }) => (response.status === 401 ? retry() : undefined)
    createCaller({ baseUrl: 'http://x', onRequest: ({ request }) => request, onResponse })
    // @ts-expect-error onRequest returns a Request (or nothing), not a URL
    createCaller({ baseUrl: 'http://x', onRequest: () => 'https://elsewhere' })
  })
})
