import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { restoreWindowBounds } from '../../../src/main/windowBounds'
import { openRequest, pathFromArgv } from '../../../src/main/launchArgs'

const laptop = { x: 0, y: 25, width: 1440, height: 875 }
const monitorRight = { x: 1440, y: 0, width: 2560, height: 1400 }
const defaults = { width: 1400, height: 900 }

describe('the window opens where it was', () => {
  it('keeps a stored place that is on a screen', () => {
    const stored = { x: 1600, y: 100, width: 1200, height: 800 }
    expect(restoreWindowBounds(stored, [laptop, monitorRight], defaults)).toEqual(stored)
    expect(restoreWindowBounds({ ...stored, maximized: true }, [laptop, monitorRight], defaults)).toEqual({
      ...stored,
      maximized: true,
    })
  })

  it('centres the default size on the primary screen when nothing usable is stored', () => {
    const centred = { x: 20, y: 25, width: 1400, height: 875 }
    for (const stored of [null, undefined, 'junk', { x: 1, y: 2 }, { x: NaN, y: 0, width: 10, height: 10 }])
      expect(restoreWindowBounds(stored, [laptop], defaults)).toEqual(centred)
  })

  it('brings back a window left on a monitor that is gone, keeping its size where it fits', () => {
    const stored = { x: 1600, y: 100, width: 1200, height: 800, maximized: true }
    expect(restoreWindowBounds(stored, [laptop], defaults)).toEqual({
      x: 120,
      y: 63,
      width: 1200,
      height: 800,
      maximized: true,
    })
  })

  it('pulls a window half off the screen back inside, and shrinks one larger than the screen', () => {
    expect(restoreWindowBounds({ x: 1000, y: -50, width: 1000, height: 700 }, [laptop], defaults)).toEqual({
      x: 440,
      y: 25,
      width: 1000,
      height: 700,
    })
    expect(restoreWindowBounds({ x: 0, y: 0, width: 3000, height: 2000 }, [laptop], defaults)).toEqual(laptop)
    // Too small to use: grown to the minimum.
    expect(
      restoreWindowBounds({ x: 100, y: 100, width: 300, height: 200 }, [laptop], defaults),
    ).toMatchObject({
      width: 800,
      height: 560,
    })
  })

  it('moves a window whose visible sliver is too small to grab', () => {
    const stored = { x: 1400, y: 100, width: 1000, height: 700 } // 40 px on the laptop, no monitor
    expect(restoreWindowBounds(stored, [laptop], defaults)).toEqual({
      x: 220,
      y: 113,
      width: 1000,
      height: 700,
    })
  })
})

describe('a launch with a path opens it', () => {
  const cwd = path.resolve('/home/ana')
  it('reads the path from an installed app and from a checkout', () => {
    expect(pathFromArgv(['/opt/S4MI/s4mi-studio', 'slides/a.svs'], { packaged: true, cwd })).toBe(
      path.resolve(cwd, 'slides/a.svs'),
    )
    expect(pathFromArgv(['electron', '.', '/data/skin'], { packaged: false, cwd })).toBe(
      path.resolve('/data/skin'),
    )
    expect(pathFromArgv(['electron', '.'], { packaged: false, cwd })).toBeNull()
    expect(pathFromArgv(['/opt/S4MI/s4mi-studio'], { packaged: true, cwd })).toBeNull()
  })

  it("skips Chromium's and Electron's switches", () => {
    const argv = [
      'S4MI Studio.exe',
      '--allow-file-access-from-files',
      'C:\\x\\b.ndpi',
      '--original-process-start-time=1',
    ]
    expect(pathFromArgv(argv, { packaged: true, cwd })).toBe(path.resolve(cwd, 'C:\\x\\b.ndpi'))
    expect(pathFromArgv(['app', '--inspect', '-v'], { packaged: true, cwd })).toBeNull()
  })

  it('opens a folder as a project and imports associated slides, refusing other files', () => {
    expect(openRequest('/data/skin', true)).toEqual({ kind: 'project', path: '/data/skin' })
    expect(openRequest('/s/A.SVS', false)).toEqual({ kind: 'import', path: '/s/A.SVS' })
    expect(openRequest('/s/b.tiff', false)?.kind).toBe('import')
    expect(openRequest('/s/notes.txt', false)).toBeNull()
  })
})
