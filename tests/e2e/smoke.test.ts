import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenshot, startApp, startServe, type BrowserApp, type ServeApp } from './harness'

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

describe('serve mode writes its log', () => {
  let app: ServeApp
  beforeAll(async () => {
    app = await startServe()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('to serve.log in the data folder: its start and the training backend it found', async () => {
    const file = path.join(app.dataDir, 'logs', 'serve.log')
    // The backend is found by a worker after the server is up: its line comes a little later.
    const deadline = Date.now() + 30_000
    while (!(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('training backend:'))) {
      if (Date.now() > deadline) throw new Error(`no backend line in ${file}:\n${app.log()}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n')
    expect(lines[0]).toMatch(/^\S+Z S4MI Studio \S+ serving: Node \S+, \S+$/)
    expect(lines.some((l) => / training backend: \S+ on .+, \d+ threads?/.test(l))).toBe(true)
  })
})
