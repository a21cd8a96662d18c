// What the parts of `npm run bench:viewer` share: the page they drive, the viewer's probe, first paint,
// panning with the renderer's memory sampled.
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import type { Project } from '../src/core/store/project'

/** What every part gets: the bench's project, the page (with this launch's key) and the server's address. */
export interface ViewerBench {
  project: Project
  page: Page
  url: string
  userDataDir: string
}

/** What the viewer exposes on `window.__s4miViewer` (useViewerProbe.ts), as the benches read it. */
export interface ViewerProbe {
  latencies: number[]
  firstPaintMs: number | null
  editable(): boolean
  tilesPending(): number
  busy(): boolean
  view(): { scale: number; x: number; y: number } | null
  setView(v: { scale: number; x: number; y: number }): void
}
declare const window: { __s4miViewer?: ViewerProbe }

/** Resident memory of the benchmark Chromium's renderer processes (from /proc). */
function renderersRss(userDataDir: string): number {
  const procs = new Map<number, { ppid: number; cmd: string; rss: number }>()
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const status = fs.readFileSync(`/proc/${d}/status`, 'utf8')
      procs.set(Number(d), {
        ppid: Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0),
        cmd: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '),
        rss: Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024,
      })
    } catch {
      // The process ended while we looked.
    }
  }
  const root = [...procs].find(([, p]) => p.cmd.includes(userDataDir) && !p.cmd.includes('--type='))?.[0]
  if (root === undefined) throw new Error("Cannot find the benchmark's Chromium process")
  const descends = (pid: number): boolean => {
    for (let p = procs.get(pid), n = 0; p && n < 20; p = procs.get(p.ppid), n++)
      if (p.ppid === root) return true
    return false
  }
  let total = 0
  for (const [pid, p] of procs) if (p.cmd.includes('--type=renderer') && descends(pid)) total += p.rss
  return total
}

/**
 * Pans across all of a `size`² image at 100 % (a 6 × 6 grid of positions, boustrophedon) and at 25 %
 * (4 × 4), waiting for every tile each time, and samples the renderer processes' memory: one line.
 */
export async function panAcross(page: Page, userDataDir: string, size: number): Promise<string> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!
  let peak = renderersRss(userDataDir)
  let heap = 0
  const client = await page.context().newCDPSession(page)
  await client.send('Performance.enable')
  const sample = async () => {
    peak = Math.max(peak, renderersRss(userDataDir))
    const { metrics } = (await client.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[]
    }
    heap = Math.max(heap, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0)
  }
  const tPan = Date.now()
  let positions = 0
  for (const scale of [1, 0.25]) {
    const steps = scale === 1 ? 6 : 4
    for (let gy = 0; gy < steps; gy++)
      for (let gx = 0; gx < steps; gx++) {
        const cx = ((gy % 2 ? steps - 1 - gx : gx) + 0.5) * (size / steps)
        const cy = (gy + 0.5) * (size / steps)
        await page.evaluate(([s, x, y]) => window.__s4miViewer!.setView({ scale: s, x, y }), [
          scale,
          box.width / 2 - cx * scale,
          box.height / 2 - cy * scale,
        ] as const)
        await page.waitForFunction(() => window.__s4miViewer!.tilesPending() === 0, null, {
          timeout: 120_000,
        })
        positions++
        await sample()
      }
  }
  return (
    `Panning the ${size.toLocaleString('en')}² image (${positions} positions at 100 % and 25 %, ${((Date.now() - tPan) / 1000).toFixed(1)} s): ` +
    `peak renderer RSS ${(peak / 2 ** 20).toFixed(0)} MiB, peak JS heap ${(heap / 2 ** 20).toFixed(0)} MiB (goal < 1 GB: ${peak < 2 ** 30 ? 'met' : 'NOT met'})`
  )
}

/** Opens an image on a fresh page load and waits for its first paint: ms from the viewer opening it, and from page load. */
export async function firstPaint(
  page: Page,
  url: string,
  imageId: number,
): Promise<{ viewer: number; wall: number }> {
  await page.goto('about:blank')
  const t = Date.now()
  await page.goto(`${url}/#/image/${imageId}`)
  await page.waitForFunction(() => window.__s4miViewer?.firstPaintMs != null, null, { timeout: 300_000 })
  const wall = Date.now() - t
  return { viewer: await page.evaluate(() => window.__s4miViewer!.firstPaintMs!), wall }
}

/** Parts 1–5: brush latency, the 20,000² TIFF's first paint, saves, panning, the flat JPEG's first paint. */
