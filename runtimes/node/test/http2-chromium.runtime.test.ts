import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createFixtureApp } from '@sluice/conformance/fixture'
import type { Served } from '@sluice/core/adapter'
import { tlsRuntimes } from '@sluice/conformance/runtimes'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumArgs, ensureChromium } from '../../../templates/progress-tracker/scripts/chromium'

// HTTP/1.1 lets a browser open 6 connections per origin, so a 7th EventSource never opens.
// Over h2 every stream shares one connection: 10 at once all receive. No timing is asserted:
// each stream gets a bound to show its first event, then the test checks what happened.
let running: Served
let context: BrowserContext
let profile: string
beforeAll(async () => {
  running = await tlsRuntimes['node-h2'](createFixtureApp(), 0)
  profile = await mkdtemp(join(tmpdir(), 'sluice-chromium-'))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: await ensureChromium(),
    headless: true,
    // The test certificate is self-signed: for the browser, and for `page.request`.
    args: [...chromiumArgs, '--ignore-certificate-errors'],
    ignoreHTTPSErrors: true,
  })
})
afterAll(async () => {
  await context.close()
  await rm(profile, { recursive: true, force: true })
  await running.close()
})

it('Chromium opens 10 streams to one origin at once over h2 and receives from all of them', async () => {
  const page = await context.newPage()
  await page.goto(`${running.url}/health`)
  const tags = Array.from({ length: 10 }, (_, i) => `tab-${i}-${Math.random().toString(36).slice(2)}`)
  const result = await page.evaluate(async (tags) => {
    // The repo's types are Node's, without the DOM's timing entries.
    const timing = performance as unknown as { getEntriesByType(type: string): { nextHopProtocol: string }[] }
    const protocol = timing.getEntriesByType('navigation')[0]?.nextHopProtocol
    const sources = tags.map((tag) => new EventSource(`/forever?tag=${tag}`))
    // Each stream either shows an event within 5 s or counts as stalled; all stay open meanwhile.
    const received = await Promise.all(
      sources.map(
        (source) =>
          new Promise<boolean>((resolve) => {
            source.onmessage = () => resolve(true)
            setTimeout(() => resolve(false), 5000)
          }),
      ),
    )
    sources.forEach((source) => source.close())
    return { protocol, received }
  }, tags)
  expect(result.received).toEqual(tags.map(() => true))
  expect(result.protocol).toBe('h2')
  // Closing an EventSource resets its h2 stream: every generator runs its `finally`.
  const deadline = Date.now() + 5000
  let open = tags
  while (open.length > 0 && Date.now() < deadline) {
    const states = await Promise.all(
      open.map(async (tag) => {
        const response = await page.request.get(`${running.url}/finalized?tag=${tag}`)
        return ((await response.json()) as { finalized: boolean }).finalized
      }),
    )
    open = open.filter((_, i) => states[i] !== true)
    if (open.length > 0) await sleep(100)
  }
  expect(open).toEqual([])
})
