import { expect } from 'vitest'
import { collectEvents, json } from '../sse-reader'
import type { SuiteContext } from '../suite-context'

const SSE = { accept: 'text/event-stream' }

/** Several event kinds (`events`): each under its name, resumable, and an undeclared kind refused. */
export function kindsCases({ url, test }: SuiteContext): void {
  test('GET /kinds sends each kind under its name, message without one, then done', async () => {
    const response = await fetch(`${url()}/kinds?to=1`, { headers: SSE })
    const events = await collectEvents(response)
    expect(events.map((e) => [e.event, e.id, json(e)])).toEqual([
      ['log', undefined, { line: 'step 1' }],
      ['progress', '1', { done: 1, total: 1 }],
      [undefined, undefined, { note: 'a message: the kind of a value yielded without a name' }],
      ['done', undefined, { steps: 1 }],
    ])
  })

  test('GET /kinds resumes after Last-Event-ID', async () => {
    const response = await fetch(`${url()}/kinds?to=3`, { headers: { ...SSE, 'last-event-id': '2' } })
    const events = await collectEvents(response)
    expect(events.map((e) => e.event)).toEqual(['log', 'progress', undefined, 'done'])
    expect(events[1]?.id).toBe('3')
  })

  test('GET /kinds ends with INVALID_OUTPUT at a kind the function does not declare', async () => {
    const response = await fetch(`${url()}/kinds?to=1&mode=undeclared`, { headers: SSE })
    const events = await collectEvents(response)
    expect(events.map((e) => e.event)).toEqual(['log', 'progress', 'error'])
    expect(json(events[2])).toEqual({
      code: 'INVALID_OUTPUT',
      message: 'The server sent an event of kind "audit", which it does not declare',
    })
  })
}
