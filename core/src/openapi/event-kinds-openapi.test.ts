import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp } from '../app/create-app'
import { defineFunction } from '../app/define-function'
import { wireHTTP } from '../app/wire-http'
import { withEvent } from '../stream/with-event'
import { toOpenAPI } from './to-openapi'

type Choice = { title?: string; properties?: Record<string, unknown>; $ref?: string }

function app() {
  const created = createApp()
  const job = defineFunction({
    events: {
      progress: z.object({ done: z.number() }),
      log: z.object({ line: z.string() }),
      message: z.object({ note: z.string() }),
    },
    output: z.object({ ok: z.boolean() }),
    func: async function* () {
      yield withEvent({ event: 'log' }, { line: 'x' })
      return { ok: true }
    },
  })
  wireHTTP(created, { method: 'get', route: '/job', func: job })
  const live = defineFunction({
    events: { log: z.object({ line: z.string() }) },
    output: z.object({ state: z.string() }),
    func: () => ({ state: 'initial' }),
  })
  wireHTTP(created, { method: 'get', route: '/live', func: live, sse: true })
  return created
}

function media(version: '3.1' | '3.2', path: string): Record<string, { anyOf?: Choice[]; oneOf?: Choice[] }> {
  const doc = JSON.parse(JSON.stringify(toOpenAPI(app(), { version }))) as {
    paths: Record<string, { get: { responses: { 200: { content: Record<string, unknown> } } } }>
  }
  return doc.paths[path]?.get.responses[200].content['text/event-stream'] as never
}

describe('toOpenAPI: several event kinds', () => {
  it('3.1 describes each kind by title, with its own data schema', () => {
    const choices = media('3.1', '/job')['schema']?.anyOf ?? []
    expect(choices.map((choice) => choice.title)).toEqual(['progress', 'log', 'message', 'done', 'error'])
    expect(Object.keys(choices[0]?.properties ?? {})).toEqual(['done'])
    expect(Object.keys(choices[1]?.properties ?? {})).toEqual(['line'])
    expect(Object.keys(choices[2]?.properties ?? {})).toEqual(['note'])
  })

  it('3.2 describes each kind as an item whose event is its name (message: none of the others)', () => {
    const choices = media('3.2', '/job')['itemSchema']?.oneOf ?? []
    const events = choices.map(
      (choice) => (choice.properties?.['event'] as { const?: string } | undefined)?.const,
    )
    expect(events).toEqual(['progress', 'log', undefined, 'done', undefined])
    // The message kind: no `event:` line, so told apart by the names it is not.
    expect(choices[2]?.properties?.['event']).toMatchObject({
      not: { enum: ['progress', 'log', 'done', 'error'] },
    })
    expect(choices[4]?.$ref).toBe('#/components/schemas/StreamErrorEvent')
  })

  it('a progressive route lists the returned value as message, then its kinds', () => {
    const choices = media('3.1', '/live')['schema']?.anyOf ?? []
    expect(choices.map((choice) => choice.title)).toEqual(['message', 'log', 'done', 'error'])
    expect(Object.keys(choices[0]?.properties ?? {})).toEqual(['state'])
  })
})
