import { describe, expect, it } from 'vitest'
import { Router } from './router'

function create(): Router<string> {
  const router = new Router<string>()
  router.add('GET', '/health', 'health')
  router.add('post', '/echo', 'echo')
  router.add('GET', '/jobs/:jobId', 'get-job')
  router.add('DELETE', '/jobs/:jobId', 'delete-job')
  router.add('POST', '/jobs/:jobId/process', 'process')
  router.add('GET', '/users/:userId/posts/:postId', 'post')
  return router
}

describe('Router', () => {
  it('finds exact routes with no params', () => {
    expect(create().find('GET', '/health')).toEqual({ kind: 'found', value: 'health', params: {} })
    expect(create().find('POST', '/echo')).toEqual({ kind: 'found', value: 'echo', params: {} })
  })

  it('finds :param routes and decodes the params', () => {
    const router = create()
    expect(router.find('GET', '/jobs/42')).toEqual({
      kind: 'found',
      value: 'get-job',
      params: { jobId: '42' },
    })
    expect(router.find('DELETE', '/jobs/a%20b')).toEqual({
      kind: 'found',
      value: 'delete-job',
      params: { jobId: 'a b' },
    })
    expect(router.find('POST', '/jobs/x%2Fy/process')).toEqual({
      kind: 'found',
      value: 'process',
      params: { jobId: 'x/y' },
    })
    expect(router.find('GET', '/users/u1/posts/p2')).toEqual({
      kind: 'found',
      value: 'post',
      params: { userId: 'u1', postId: 'p2' },
    })
  })

  it.each([
    '/nope',
    '/health/',
    '/jobs',
    '/jobs/',
    '/jobs/1/2',
    '/jobs/1/process/x',
    '/users/u1/comments/p2',
    '',
  ])('answers not-found for %j', (path) => {
    expect(create().find('GET', path)).toEqual({ kind: 'not-found' })
  })

  it('does not match an empty param segment', () => {
    expect(create().find('POST', '/jobs//process')).toEqual({ kind: 'not-found' })
  })

  it('answers method-not-allowed with the allowed methods', () => {
    const router = create()
    expect(router.find('GET', '/echo')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] })
    expect(router.find('PUT', '/jobs/1/process')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] })
  })

  it('lists HEAD in the allow list when GET exists', () => {
    const router = create()
    expect(router.find('POST', '/health')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'HEAD'] })
    const allowed = router.find('PATCH', '/jobs/1')
    expect(allowed.kind).toBe('method-not-allowed')
    if (allowed.kind === 'method-not-allowed')
      expect([...allowed.allow].sort()).toEqual(['DELETE', 'GET', 'HEAD'])
  })

  it('falls back from HEAD to GET', () => {
    const router = create()
    expect(router.find('HEAD', '/health')).toEqual({ kind: 'found', value: 'health', params: {} })
    expect(router.find('HEAD', '/jobs/7')).toEqual({
      kind: 'found',
      value: 'get-job',
      params: { jobId: '7' },
    })
    expect(router.find('HEAD', '/echo')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] })
  })

  it('prefers an explicit HEAD route over the GET fallback', () => {
    const router = new Router<string>()
    router.add('GET', '/x', 'get')
    router.add('HEAD', '/x', 'head')
    expect(router.find('HEAD', '/x')).toEqual({ kind: 'found', value: 'head', params: {} })
  })

  it.each(['/jobs/%', '/jobs/%E0%A4%A', '/jobs/%ZZ', '/jobs/%C3%28'])(
    'answers malformed-path for %j',
    (path) => {
      expect(create().find('GET', path)).toEqual({ kind: 'malformed-path' })
    },
  )

  it('throws when the same method and path are wired twice', () => {
    const router = create()
    expect(() => router.add('GET', '/health', 'again')).toThrow(/GET \/health is wired twice/)
    expect(() => router.add('get', '/jobs/:jobId', 'again')).toThrow(/wired twice/)
    expect(() => router.add('POST', '/health', 'post')).not.toThrow()
    expect(router.find('POST', '/health')).toEqual({ kind: 'found', value: 'post', params: {} })
  })

  it('throws for the same pattern wired twice, whatever the param name', () => {
    const router = create()
    // `/jobs/:id` and `/jobs/:jobId` match the same requests; the second would never be reached.
    expect(() => router.add('GET', '/jobs/:id', 'again')).toThrow(/wired twice/)
  })
})

describe('Router with overlapping entries', () => {
  it('finds a method wired on the same pattern under another param name', () => {
    const router = new Router<string>()
    router.add('GET', '/jobs/:jobId', 'get')
    router.add('DELETE', '/jobs/:id', 'delete')
    expect(router.find('DELETE', '/jobs/1')).toEqual({ kind: 'found', value: 'delete', params: { id: '1' } })
    expect(router.find('GET', '/jobs/1')).toEqual({ kind: 'found', value: 'get', params: { jobId: '1' } })
    const refused = router.find('PUT', '/jobs/1')
    expect(refused.kind === 'method-not-allowed' && [...refused.allow].sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
    ])
  })

  it('falls through from an exact path to a pattern that has the method', () => {
    const router = new Router<string>()
    router.add('GET', '/users/me', 'me')
    router.add('DELETE', '/users/:id', 'delete')
    expect(router.find('GET', '/users/me')).toEqual({ kind: 'found', value: 'me', params: {} })
    expect(router.find('DELETE', '/users/me')).toEqual({
      kind: 'found',
      value: 'delete',
      params: { id: 'me' },
    })
    expect(router.find('HEAD', '/users/me')).toEqual({ kind: 'found', value: 'me', params: {} })
  })

  it('lists every method of every matching entry in a 405', () => {
    const router = new Router<string>()
    router.add('POST', '/a/b', 'exact')
    router.add('PUT', '/a/:x', 'pattern')
    const refused = router.find('GET', '/a/b')
    expect(refused.kind === 'method-not-allowed' && [...refused.allow].sort()).toEqual(['POST', 'PUT'])
  })
})
