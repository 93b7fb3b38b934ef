import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixtureApp } from '../src/fixture-app'
import type { Served } from '@sluice/core/adapter'
import { runtimes } from '../src/runtimes'
import { expectUnbuffered } from '../src/suite'
import { ensureNginx, startNginx, type ProxyLocation, type RunningNginx } from './nginx'

// sluice behind Debian's nginx, started here on a free loopback port. With nginx's defaults
// (proxy_buffering on, HTTP/1.0 to the upstream) only sluice's `X-Accel-Buffering: no` keeps
// events from waiting in nginx's buffers; `/gated` proves each one gets through at once.

type Name = keyof typeof runtimes
// uWS never answers HTTP/1.0 (runtimes/uws/README.md), nginx's default to upstreams.
const SPEAK_HTTP_10: Name[] = ['node', 'express', 'fastify']
const ALL: Name[] = ['node', 'express', 'fastify', 'uws']
/** What docs/reliability.md recommends: keep-alive HTTP/1.1 upstream connections. */
const RECOMMENDED = ['proxy_http_version 1.1;', "proxy_set_header Connection '';"]

const servers = new Map<Name, Served>()
let nginx: RunningNginx | undefined

beforeAll(async () => {
  // Installing nginx (apt-get) is the only slow step, and only on a machine without it.
  const binary = ensureNginx()
  for (const name of ALL) servers.set(name, await runtimes[name](createFixtureApp(), 0))
  const locations: ProxyLocation[] = []
  for (const [name, server] of servers) {
    if (SPEAK_HTTP_10.includes(name)) locations.push({ prefix: `/${name}`, upstream: server.url })
    locations.push({ prefix: `/${name}-http11`, upstream: server.url, directives: RECOMMENDED })
  }
  nginx = await startNginx(binary, locations)
}, 300_000)

afterAll(async () => {
  await nginx?.stop()
  await Promise.all([...servers.values()].map((server) => server.close()))
})

const proxied = (prefix: string): string => {
  if (nginx === undefined) throw new Error('nginx is not running')
  return `${nginx.url}/${prefix}`
}

describe("behind nginx's defaults: buffering on, HTTP/1.0 upstream", () => {
  for (const name of SPEAK_HTTP_10) {
    it(`${name}: each event arrives before the generator goes on`, async () => {
      const response = await expectUnbuffered(proxied(name))
      // nginx consumed the header; the client never sees it.
      expect(response.headers.get('x-accel-buffering')).toBeNull()
    })
  }

  it('node: JSON answers pass through as they are', async () => {
    const response = await fetch(`${proxied('node')}/health`)
    expect(await response.json()).toEqual({ ok: true })
  })
})

describe('behind nginx with proxy_http_version 1.1 and Connection ""', () => {
  for (const name of ALL) {
    it(`${name}: each event arrives before the generator goes on`, async () => {
      await expectUnbuffered(proxied(`${name}-http11`))
    })
  }
})

describe('an HTTP/1.0 client (what nginx is to an upstream by default)', () => {
  for (const name of SPEAK_HTTP_10) {
    it(`${name}: gets the whole stream, no keep-alive, no chunking, ended by closing`, async () => {
      const server = servers.get(name)
      if (server === undefined) throw new Error(`${name} is not running`)
      const raw = await http10(server.url, '/count?to=2')
      const [head = '', body = ''] = raw.split('\r\n\r\n', 2)
      expect(head).toMatch(/^HTTP\/1\.[01] 200 /)
      expect(head).toMatch(/^content-type: text\/event-stream; charset=utf-8$/im)
      // HTTP/1.0 has no chunked encoding and no persistent connections by default: the
      // stream's end is the connection's end, which `http10` waited for.
      expect(head).not.toMatch(/^connection: keep-alive$/im)
      expect(head).not.toMatch(/^transfer-encoding:/im)
      expect(body).toContain('id: 2\ndata: {"i":2}\n\nevent: done\ndata: {"total":2}\n\n')
    })
  }
})

// Sends one HTTP/1.0 request and reads until the server closes the connection.
function http10(base: string, path: string): Promise<string> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let raw = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (raw += chunk))
    socket.once('end', () => resolve(raw))
    socket.once('error', reject)
    socket.write(`GET ${path} HTTP/1.0\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`)
  })
}
