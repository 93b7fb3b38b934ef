import { describe, expectTypeOf, it } from 'vitest'
import {
  createClient,
  isCallError,
  SluiceClientError,
  type Client,
  type StreamCall,
  type StatusEvent,
  type StatusOutput,
} from './golden/fixture-client'

// The golden client's inference, as a user sees it. Nothing here runs: it only has to compile.
const client: Client = createClient({ baseUrl: 'http://127.0.0.1:1' })

describe('plain methods', () => {
  it('type the input and the answer from the schemas', () => {
    expectTypeOf(client.echo).parameter(0).toEqualTypeOf<{ message: string }>()
    expectTypeOf(client.echo({ message: 'hi' })).toEqualTypeOf<Promise<{ message: string }>>()
    // @ts-expect-error message must be a string
    void client.echo({ message: 1 })
    // @ts-expect-error the input is required: message is
    void client.echo()
    // @ts-expect-error an object is closed: a misspelt key does not compile
    void client.echo({ message: 'hi', mesage: 'hi' })
  })

  it('make the input optional when nothing in it is required, and unknown without schemas', () => {
    expectTypeOf(client.health()).toEqualTypeOf<Promise<unknown>>()
    expectTypeOf(client.finalized).parameter(0).toEqualTypeOf<{ tag: string }>()
    void client.fail()
    void client.fail({ after: 1 })
    // @ts-expect-error kind is one of wire | crash
    void client.fail({ kind: 'other' })
  })

  it('require path params even where the route has no input schema', () => {
    void client.merge({ id: 1, extra: true })
    // @ts-expect-error id is a path param
    void client.merge({ extra: true })
  })

  it('take call options', () => {
    void client.health(undefined, { signal: AbortSignal.abort(), headers: { 'x-a': 'b' } })
    // @ts-expect-error not an option
    void client.health(undefined, { retries: 3 })
  })
})

describe('stream methods', () => {
  it('return a StreamCall of typed events and a typed result', async () => {
    const call = client.getCount({ to: 3 })
    expectTypeOf(call).toEqualTypeOf<StreamCall<{ i: number }, { total: number }>>()
    for await (const event of call) expectTypeOf(event).toEqualTypeOf<{ i: number }>()
    expectTypeOf(call.result).toEqualTypeOf<Promise<{ total: number }>>()
    expectTypeOf(call.lastEventId).toEqualTypeOf<string | undefined>()
    // @ts-expect-error to is a number
    void client.getCount({ to: '3' })
    // @ts-expect-error to is required
    void client.getCount({ delayMs: 3 })
  })

  it('resolve to the done value when given onEvent', () => {
    const total = client.getCount(
      { to: 3 },
      { onEvent: (event) => expectTypeOf(event).toEqualTypeOf<{ i: number }>() },
    )
    expectTypeOf(total).toEqualTypeOf<Promise<{ total: number }>>()
    expectTypeOf(client.postCount({ to: 1 }, { signal: AbortSignal.abort() })).toEqualTypeOf<
      StreamCall<{ i: number }, { total: number }>
    >()
  })

  it('type unknown events and results where the function has no schema', () => {
    expectTypeOf(client.quiet()).toEqualTypeOf<StreamCall<unknown, unknown>>()
    expectTypeOf(client.fail()).toEqualTypeOf<StreamCall<{ i: number }, unknown>>()
  })
})

describe('progressive methods', () => {
  it('answer the value as JSON, and stream it then the events through .stream', () => {
    expectTypeOf(client.status()).toEqualTypeOf<Promise<StatusOutput>>()
    expectTypeOf(client.status.stream()).toEqualTypeOf<
      StreamCall<StatusOutput | StatusEvent, StatusOutput | null>
    >()
    expectTypeOf<StatusOutput['state']>().toEqualTypeOf<'initial' | 'pending' | 'done'>()
  })
})

describe('errors', () => {
  it('carry the code, status and details', () => {
    const error = new SluiceClientError('NOT_FOUND', 'gone', { status: 404 })
    expectTypeOf(error.code).toExtend<string>()
    expectTypeOf(error.status).toEqualTypeOf<number | undefined>()
    expectTypeOf(error.details).toBeUnknown()
  })
})

describe('declared errors', () => {
  it('narrow a caught error by code to the typed details the function declares', async () => {
    try {
      await client.jobs({ jobId: 'a' })
    } catch (error) {
      if (!isCallError(client.jobs, error)) throw error
      if (error.code === 'JOB_EXISTS') {
        expectTypeOf(error.details).toEqualTypeOf<{ jobId: string }>()
        // @ts-expect-error details of JOB_EXISTS have no `other`
        expectTypeOf(error.details.other).toBeUnknown()
      } else {
        // sluice's own codes and the client's, with untyped details
        expectTypeOf(error.code).toExtend<string>()
        // @ts-expect-error JOB_EXISTS was narrowed away
        expectTypeOf(error.code === 'JOB_EXISTS').toBeBoolean()
      }
      // @ts-expect-error not a code POST /jobs can fail with
      expectTypeOf(error.code === 'NO_SUCH_CODE').toBeBoolean()
    }
  })

  it('know the declared codes per method', () => {
    // A method without declared codes narrows to sluice's own codes only.
    const error = new SluiceClientError('NOT_FOUND', 'gone')
    if (isCallError(client.echo, error)) {
      // @ts-expect-error echo declares no JOB_EXISTS
      expectTypeOf(error.code === 'JOB_EXISTS').toBeBoolean()
    }
  })
})
