import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { launchChromium, type LaunchedChromium } from '../scripts/chromium'
import { createTrackerApp } from '../src/app'
import { buildAssets, type Assets } from '../src/assets'
import type { Served } from '@sluice/core/adapter'
import { runtimeNames, serveDemo } from '../src/serve-demo'

// Generous: every wait is on a page condition, so it ends as soon as the page gets there.
const timeout = 15_000
const steps = (count: number): string[] => Array.from({ length: count }, (_, i) => String(i + 1))

let chromium: LaunchedChromium | undefined
let assets: Assets
beforeAll(async () => {
  ;[assets, chromium] = await Promise.all([buildAssets(), launchChromium()])
}, 15 * 60_000) // a machine without Chromium installs it first
afterAll(() => chromium?.close())

/** One line of the page's event log, as the DOM marks it. */
interface LogEntry {
  kind: string
  step: string | null
  lastEventId: string | null
}
const readLogScript = `[...document.querySelectorAll('#log li')].map((li) => ({
  kind: li.className, step: li.dataset.step ?? null, lastEventId: li.dataset.lastEventId ?? null,
}))`

/** Opens the demo in a new tab, closed when the test ends; `errors` collects uncaught errors and console errors. */
async function openDemo(server: Served | undefined): Promise<{ page: Page; errors: string[] }> {
  if (chromium === undefined || server === undefined)
    throw new Error('the browser or the server did not start')
  const page = await chromium.context.newPage()
  onTestFinished(() => page.close())
  page.setDefaultTimeout(timeout)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(server.url)
  return { page, errors }
}

/** Fills the form and starts a job; resolves once the page has started it. */
async function startJob(page: Page, options: { steps: number; failAt?: number }): Promise<void> {
  await page.fill('#steps', String(options.steps))
  await page.fill('#fail-at', options.failAt === undefined ? '' : String(options.failAt))
  await page.click('#start')
}

const waitForState = (page: Page, state: string) => page.locator(`#job[data-state="${state}"]`).waitFor()
const readLog = (page: Page) => page.evaluate<LogEntry[]>(readLogScript)
/** The connection states the page logged from `onStateChange`, in order. */
const loggedConnection = (page: Page) =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('#log li[data-connection]')].map((li) => li.dataset.connection)`,
  )
const loggedSteps = async (page: Page) => (await readLog(page)).flatMap(({ step }) => step ?? [])

/** The reconnects in the log, each with the step logged just before it: a resume must continue from there. */
function reconnects(log: LogEntry[]): { lastEventId: string; previousStep: string | undefined }[] {
  let previousStep: string | undefined
  const found: { lastEventId: string; previousStep: string | undefined }[] = []
  for (const { step, lastEventId } of log) {
    if (step !== null) previousStep = step
    if (lastEventId !== null) found.push({ lastEventId, previousStep })
  }
  return found
}

describe.each(runtimeNames)('the demo page on %s', (runtime) => {
  let main: Served | undefined
  let short: Served | undefined
  beforeAll(async () => {
    const serve = (app: ReturnType<typeof createTrackerApp>) =>
      serveDemo({ runtime, app, assets, port: 0, host: '127.0.0.1' })
    main = await serve(createTrackerApp({ stepMs: 40, retryMs: 50 }))
    // Every job stream on this one ends after 150 ms without `done`: the page must resume it.
    short = await serve(createTrackerApp({ stepMs: 40, retryMs: 50, jobMaxDurationMs: 150 }))
  })
  afterAll(async () => {
    await Promise.all([main?.close(), short?.close()])
  })

  it('runs a job: the bar reaches 100%, the log lists every step in order, the typed result shows', async () => {
    const { page, errors } = await openDemo(main)
    await startJob(page, { steps: 8 })
    await waitForState(page, 'done')
    expect(await page.textContent('#percent')).toBe('100%')
    expect(await page.getAttribute('#bar', 'aria-valuenow')).toBe('100')
    expect(await page.evaluate<string>(`document.querySelector('#fill').style.width`)).toBe('100%')
    expect(await loggedSteps(page)).toEqual(steps(8))
    expect(reconnects(await readLog(page))).toEqual([])
    expect(await loggedConnection(page)).toEqual(['connecting', 'open'])
    expect(await page.getAttribute('#connection', 'data-status')).toBe('closed')
    expect(await page.textContent('#connection')).toBe('Closed: done')
    // The job's second kind of event, `log`, told apart from `progress` by its name.
    expect(await page.locator('#log li.meta', { hasText: 'finished in 40 ms' }).count()).toBe(8)
    // The result is the generator's return value: the job's id, its steps and when it finished.
    const jobId = (await page.textContent('#job-id'))?.replace('job ', '')
    expect(await page.textContent('#result-jobId')).toBe(jobId)
    expect(await page.textContent('#result-steps')).toBe('8')
    expect(await page.textContent('#result-finishedAt')).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(errors).toEqual([])
  })

  it('resumes from the last event when the server ends the stream (maxDurationMs)', async () => {
    const { page, errors } = await openDemo(short)
    await startJob(page, { steps: 12 })
    await waitForState(page, 'done')
    expect(await loggedSteps(page)).toEqual(steps(12))
    const resumed = reconnects(await readLog(page))
    expect(resumed.length).toBeGreaterThan(0)
    for (const { lastEventId, previousStep } of resumed) expect(lastEventId).toBe(previousStep)
    expect(await page.textContent('#result-steps')).toBe('12')
    expect(errors).toEqual([])
  })

  it('resumes from the last event when the page drops the connection mid-job', async () => {
    const { page, errors } = await openDemo(main)
    await startJob(page, { steps: 25 })
    await page.locator('#log li[data-step="3"]').waitFor()
    await page.click('#drop')
    await waitForState(page, 'done')
    expect(await loggedSteps(page)).toEqual(steps(25))
    const resumed = reconnects(await readLog(page))
    expect(resumed).toHaveLength(1)
    expect(resumed[0]?.lastEventId).toBe(resumed[0]?.previousStep)
    // call.state as the page showed it: the drop is "reconnecting", then the resumed stream is "open".
    expect(await loggedConnection(page)).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open'])
    const reconnecting = page.locator('#log li[data-connection="reconnecting"]')
    expect(await reconnecting.textContent()).toMatch(/Reconnecting in \d+ ms \(attempt 1\)/)
    expect(await page.textContent('#connection')).toBe('Closed: done')
    expect(errors).toEqual([])
  })

  it('shows the error of a failing job, with its code and message', async () => {
    const { page, errors } = await openDemo(main)
    await startJob(page, { steps: 10, failAt: 4 })
    await waitForState(page, 'failed')
    expect(await page.getAttribute('#outcome', 'data-kind')).toBe('bad')
    expect(await page.textContent('#outcome strong')).toBe('JOB_FAILED')
    expect(await page.textContent('#outcome p')).toBe('Bundling failed at step 5 of 10')
    expect(await loggedSteps(page)).toEqual(steps(4))
    expect(await page.textContent('#percent')).toBe('40%')
    expect(await page.locator('#result-jobId').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('cancels a job: the request is aborted and the server runs its finally', async () => {
    const { page, errors } = await openDemo(main)
    await startJob(page, { steps: 100 })
    await page.locator('#log li[data-step="2"]').waitFor()
    await page.locator('#stat-running', { hasText: /^1$/ }).waitFor()
    await page.click('#cancel')
    await waitForState(page, 'cancelled')
    // The status panel hears it from the server: the job's `finally` ran when the request was aborted.
    await page.locator('#stat-running', { hasText: /^0$/ }).waitFor()
    await page.locator('#status-log li', { hasText: 'stopped: its connection closed' }).first().waitFor()
    expect(errors).toEqual([])
  })

  it('shows the status at once, then streams its updates', async () => {
    const { page, errors } = await openDemo(main)
    await page.locator('#status[data-phase="initial"]').waitFor()
    // The first value shown is what a plain GET answers with.
    const plain = (await (await fetch(`${main?.url ?? ''}/status`)).json()) as { finished: number }
    expect(await page.textContent('#stat-finished')).toBe(String(plain.finished))
    expect(await page.textContent('#status-phase')).toBe('Answered at once')
    await startJob(page, { steps: 2 })
    await waitForState(page, 'done')
    await page.locator('#stat-finished', { hasText: new RegExp(`^${plain.finished + 1}$`) }).waitFor()
    expect(await page.getAttribute('#status', 'data-phase')).toBe('live')
    const jobId = (await page.textContent('#job-id'))?.replace('job ', '') ?? ''
    const updates = await page.locator('#status-log li').allTextContents()
    expect(updates.some((text) => text.includes(`job ${jobId} started`))).toBe(true)
    expect(updates.some((text) => text.includes(`job ${jobId} finished`))).toBe(true)
    expect(errors).toEqual([])
  })
})
