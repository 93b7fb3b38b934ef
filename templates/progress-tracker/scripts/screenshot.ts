// `npm run screenshot`: writes docs/progress-tracker.png, the demo page after a finished job,
// with a failed job and a dropped-and-resumed connection in its history. Run it after changing the page.
import { fileURLToPath } from 'node:url'
import { createTrackerApp } from '../src/app'
import { buildAssets } from '../src/assets'
import { serveDemo } from '../src/serve-demo'
import { launchChromium } from './chromium'

const out = fileURLToPath(new URL('../../../docs/progress-tracker.png', import.meta.url))

const app = createTrackerApp({ stepMs: 120, retryMs: 300 })
const server = await serveDemo({
  runtime: 'node',
  app,
  assets: await buildAssets(),
  port: 0,
  host: '127.0.0.1',
})
const chromium = await launchChromium({ viewport: { width: 1200, height: 760 } })
try {
  const page = await chromium.context.newPage()
  page.setDefaultTimeout(30_000)
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(server.url)

  // A job that fails, so the status panel has something to count.
  await page.fill('#steps', '6')
  await page.fill('#fail-at', '2')
  await page.click('#start')
  await page.locator('#job[data-state="failed"]').waitFor()

  // The job the picture shows: its connection dropped after step 4, and resumed from there.
  await page.fill('#steps', '10')
  await page.fill('#fail-at', '')
  await page.click('#start')
  await page.locator('#log li[data-step="4"]').waitFor()
  await page.click('#drop')
  await page.locator('#job[data-state="done"]').waitFor()
  await page.locator('#stat-finished', { hasText: /^1$/ }).waitFor()
  // Let the bar's width transition finish before the picture is taken.
  await page.waitForFunction(`(() => {
    const fill = document.querySelector('#fill')
    return fill.getBoundingClientRect().width === fill.parentElement.getBoundingClientRect().width
  })()`)
  await page.screenshot({ path: out, fullPage: true })
  console.log(`wrote ${out}`)
} finally {
  await chromium.close()
  await server.close()
}
