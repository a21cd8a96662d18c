export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** What the app stores when its window closes (BrowserWindow.getNormalBounds() and isMaximized()). */
export interface StoredWindow extends Rect {
  maximized?: boolean
}

const MIN = { width: 800, height: 560 }
/** At least this much of the window must be on a screen, or it is moved back (a monitor was unplugged). */
const VISIBLE = { width: 200, height: 80 }

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return width > 0 && height > 0 ? { width, height } : { width: 0, height: 0 }
}

function centred(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width)
  const height = Math.min(size.height, area.height)
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  }
}

/**
 * Where the window opens: the stored place when it is still on a screen (trimmed to that screen's work area),
 * else the default size centred on the primary screen. `workAreas` are the displays' work areas, primary first.
 * Anything unreadable in the store (a hand-edited file, NaN) counts as nothing stored.
 */
export function restoreWindowBounds(
  stored: unknown,
  workAreas: readonly Rect[],
  defaults: { width: number; height: number },
): StoredWindow {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...defaults }
  const s = stored as Partial<StoredWindow> | null
  const valid =
    s != null &&
    typeof s === 'object' &&
    [s.x, s.y, s.width, s.height].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    s.width! > 0 &&
    s.height! > 0
  if (!valid) return centred(defaults, primary)
  const rect = { x: s.x!, y: s.y!, width: s.width!, height: s.height! }
  // The screen it is most on; it must show enough there to be grabbed.
  const best = workAreas.reduce<{ area: Rect; seen: { width: number; height: number } } | null>(
    (acc, area) => {
      const seen = overlap(rect, area)
      return !acc || seen.width * seen.height > acc.seen.width * acc.seen.height ? { area, seen } : acc
    },
    null,
  )
  const maximized = s.maximized === true ? { maximized: true } : {}
  if (!best || best.seen.width < VISIBLE.width || best.seen.height < VISIBLE.height)
    return { ...centred(rect, primary), ...maximized }
  const area = best.area
  const width = Math.min(Math.max(rect.width, Math.min(MIN.width, area.width)), area.width)
  const height = Math.min(Math.max(rect.height, Math.min(MIN.height, area.height)), area.height)
  const x = Math.min(Math.max(rect.x, area.x), area.x + area.width - width)
  const y = Math.min(Math.max(rect.y, area.y), area.y + area.height - height)
  return { x, y, width, height, ...maximized }
}
