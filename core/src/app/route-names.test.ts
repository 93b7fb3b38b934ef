import { describe, expect, it } from 'vitest'
import { createApp } from './create-app'
import { defineFunction } from './define-function'
import { wireHTTP } from './wire-http'
import { routeNames } from './route-names'

const func = defineFunction({ func: () => ({ ok: true }) })

describe('routeNames', () => {
  it('derives camelCase names from static path segments', () => {
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/jobs/:jobId/progress', func })
    wireHTTP(app, { method: 'get', route: '/health-check', func })
    wireHTTP(app, { method: 'get', route: '/', func })
    expect([...routeNames(app).values()]).toEqual(['jobsProgress', 'healthCheck', 'root'])
  })

  it('prefixes the method when two routes would share a name', () => {
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/count', func })
    wireHTTP(app, { method: 'post', route: '/count', func })
    expect([...routeNames(app).values()]).toEqual(['getCount', 'postCount'])
  })

  it('keeps an explicit name and refuses two routes with the same one', () => {
    const app = createApp()
    wireHTTP(app, { method: 'get', route: '/a', func, name: 'fetchThing' })
    expect([...routeNames(app).values()]).toEqual(['fetchThing'])
    // Refused when wiring, before the router or the app changed: not later in the CLI or OpenAPI.
    expect(() => wireHTTP(app, { method: 'get', route: '/b', func, name: 'fetchThing' })).toThrow(
      'sluice: GET /a and GET /b are both named "fetchThing"; give one another name',
    )
    expect(app.routes).toHaveLength(1)
    expect(app.router.find('GET', '/b').kind).toBe('not-found')
  })
})
