/**
 * Whether an `Accept` header asks for `text/event-stream` (with q > 0). `*\/*` does not
 * count: a plain client that accepts anything gets JSON from a progressive route.
 */
export function acceptsEventStream(accept: string | undefined): boolean {
  // Media types and parameter names are case-insensitive (RFC 9110 8.3.1, 12.4.2).
  const lower = accept?.toLowerCase()
  if (lower === undefined || !lower.includes('text/event-stream')) return false
  for (const range of lower.split(',')) {
    const [type, ...params] = range.split(';')
    if (type?.trim() !== 'text/event-stream') continue
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  }
  return false
}

/** Methods whose requests carry a body that sluice reads. */
export function hasBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE'
}
