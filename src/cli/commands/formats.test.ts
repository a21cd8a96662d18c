import { afterEach, describe, expect, it, vi } from 'vitest'
import { openSlideLibrary, resetOpenSlideLookup } from '../../core/slide/openSlideLibrary'
import { runCli } from '../main'

afterEach(() => {
  vi.restoreAllMocks()
  delete process.env.S4MI_OPENSLIDE
  resetOpenSlideLookup()
})

async function formats(): Promise<string> {
  const out: string[] = []
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s))
  expect(await runCli(['node', 's4mi', 'formats'])).toBe(0)
  return out.join('\n')
}

describe('s4mi formats', () => {
  it('without OpenSlide: built-in formats usable, OpenSlide ones marked with how to get them', async () => {
    process.env.S4MI_OPENSLIDE = 'off'
    resetOpenSlideLookup()
    const text = await formats()
    expect(text).toMatch(/^OpenSlide: not installed .* to open NDPI/m)
    expect(text).toMatch(/^✓ Aperio SVS \(\.svs\) — built in/m)
    expect(text).toMatch(/^✓ OME-TIFF /m)
    expect(text).toMatch(/^✗ Hamamatsu NDPI \(\.ndpi\) — OpenSlide/m)
  })

  it.skipIf(!openSlideLibrary())('with OpenSlide installed: its version, and NDPI usable', async () => {
    const text = await formats()
    expect(text).toMatch(/^OpenSlide \d+\.\d+\.\d+: installed/m)
    expect(text).toMatch(/^✓ Hamamatsu NDPI/m)
  })
})
