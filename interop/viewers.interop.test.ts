// Swagger UI and Redoc, in Debian's Chromium, show the payload fields of the fixture's `/count`
// stream from its 3.1 document; the screenshots in docs/openapi.md are taken here. Pages and
// bundles come from 127.0.0.1; every other request is refused.
import { fileURLToPath } from 'node:url'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, type LaunchedChromium } from '../templates/progress-tracker/scripts/chromium'
import { serveViewerPages, type ViewerPages } from './viewer-pages'
import { writeDocuments } from './tools'

const docs = fileURLToPath(new URL('../docs/', import.meta.url))
let pages: ViewerPages
let chromium: LaunchedChromium
let context: BrowserContext

beforeAll(async () => {
  pages = await serveViewerPages(await writeDocuments())
  chromium = await launchChromium({ viewport: { width: 1280, height: 900 } })
  context = chromium.context
  // No network: Redoc asks a CDN for its logo, which stays out.
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  )
})
afterAll(async () => {
  await chromium.close()
  await pages.close()
})

describe('viewers show the fields of each stream event (fixture, OpenAPI 3.1)', () => {
  it('Swagger UI 5: the 200 schema of GET /count lists message i, done total, error code', async () => {
    const page = await context.newPage()
    await page.goto(`${pages.url}/swagger.html#/default/getCount`)
    const response = page.locator('#operations-default-getCount tr.response[data-code="200"]')
    await response.getByRole('tab', { name: 'Schema' }).click()
    const text = response.locator('.model-example')
    await expect.poll(() => text.innerText(), { timeout: 30_000 }).toMatch(/Error[\s\S]*code/)
    const shown = await text.innerText()
    expect(shown).toMatch(/Any of/)
    expect(shown).toMatch(/Message[\s\S]*\bi\*?\s*number[\s\S]*Done[\s\S]*\btotal\*?\s*number/)
    await response.screenshot({ path: `${docs}openapi-swagger-ui.png` })
  })

  it('Redoc 2.5: the 200 schema of GET /count offers message, done, error with their fields', async () => {
    const page = await context.newPage()
    await page.goto(`${pages.url}/redoc.html#operation/getCount`)
    const operation = page.locator('[id="operation/getCount"]')
    await expect.poll(() => operation.innerText(), { timeout: 60_000 }).toMatch(/Any of/)
    expect(await operation.innerText()).toMatch(/Any of\s*message\s*done\s*error\s*\bi\s*required\s*number/)
    await operation.screenshot({ path: `${docs}openapi-redoc.png` })
    await operation.getByRole('button', { name: 'done', exact: true }).click()
    await expect.poll(() => operation.innerText()).toMatch(/\btotal\s*required\s*number/)
  })
})
