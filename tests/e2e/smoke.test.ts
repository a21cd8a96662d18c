import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenshot, startApp, type BrowserApp } from './harness'

describe('serve mode in Chromium', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('loads the renderer and reaches the API', async () => {
    const status = await app.call<{ version: string; transport: string }>('app.status')
    expect(status.transport).toBe('http')
    await app.page.getByText('S4MI Studio').first().waitFor({ timeout: 15_000 })
    expect(await app.page.title()).toBe('S4MI Studio')
    await screenshot(app.page, 'smoke-first-load')
  })
})
