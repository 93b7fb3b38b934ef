import { describe, expect, it } from 'vitest'
import { ensureChromium } from '../scripts/chromium'

const missing = '/nonexistent/sluice-test/chromium'

describe('ensureChromium', () => {
  it('fails, saying how to install Chromium, when it is missing and cannot be installed', async () => {
    await expect(ensureChromium({ path: missing, canInstall: false })).rejects.toThrow(
      /not installed at \/nonexistent.*apt-get install -y chromium.*CHROMIUM_PATH/s,
    )
  })

  it('installs Chromium when it is missing and it can, and fails if the install did not provide it', async () => {
    let installs = 0
    const install = () => {
      installs++
      return Promise.resolve()
    }
    await expect(ensureChromium({ path: missing, canInstall: true, install })).rejects.toThrow(
      /still missing/,
    )
    expect(installs).toBe(1)
  })

  it('uses Chromium where it is, without installing anything', async () => {
    const install = () => Promise.reject(new Error('must not install'))
    expect(await ensureChromium({ path: process.execPath, canInstall: true, install })).toBe(process.execPath)
  })
})
