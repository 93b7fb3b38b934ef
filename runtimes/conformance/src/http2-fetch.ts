import { Agent, fetch as undiciFetch, setGlobalDispatcher } from 'undici'

/**
 * Makes this process's global `fetch` speak HTTP/2 to the suite's servers: undici's own fetch
 * (Node 20's built-in one cannot) with `allowH2`, ALPN picking h2, and the self-signed test
 * certificate accepted. For a test file of its own: it changes its whole process.
 */
export function useHttp2Fetch(): void {
  // Not one connection per origin as a browser keeps: a body a case leaves unread holds h2's
  // connection-wide flow-control window, which stalls every stream after it (measured). The
  // longer connect timeout: 200 concurrent requests start 200 TLS handshakes at once.
  const connect = { rejectUnauthorized: false, timeout: 30_000 }
  setGlobalDispatcher(new Agent({ allowH2: true, connect }))
  globalThis.fetch = undiciFetch as unknown as typeof fetch
}
