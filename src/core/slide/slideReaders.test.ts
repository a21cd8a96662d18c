import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  fixtureTools,
  makeJpeg2000Svs,
  makeNdpi,
  makeOmeTiff,
  makeSparseBigTiff,
  makeSvsLike,
  maxDifference,
  missingToolsMessage,
  vipsExtractArea,
} from './fixtures/slideFixtures'
import { openSlideLibrary, resetOpenSlideLookup } from './openSlideLibrary'
import { openWholeSlide } from './openWholeSlide'
import { slideTileCache } from './regionCache'
import { describeSlideFormats } from './slideFormats'

// `npm run test:slides` runs these at 50,000² (S4MI_SLIDES_FULL=1); `npm test` at a few thousand pixels.
const FULL = process.env.S4MI_SLIDES_FULL === '1'
const SVS_SIZE = FULL ? 50_000 : 12_000
const OME_SIZE = FULL ? 50_000 : 6_000
// Making a 50,000² fixture with vips or tifffile alone takes minutes on a shared machine.
const FIXTURE_TIMEOUT = FULL ? 1_200_000 : 60_000
const tools = fixtureTools.vips && fixtureTools.tifffile
if (!tools) console.warn(`Skipping slide reader tests: ${missingToolsMessage}`)

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-slides-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  delete process.env.S4MI_OPENSLIDE
  resetOpenSlideLookup()
})

describe.skipIf(!tools)(
  'whole-slide formats read region by region (checked against vips extract_area)',
  () => {
    it(
      `an SVS-like ${SVS_SIZE.toLocaleString('en')}² JPEG-tiled pyramid: Aperio metadata, levels, regions`,
      async () => {
        const file = await makeSvsLike(dir, SVS_SIZE, { mpp: 0.2527, appMag: 40 })
        const slide = await openWholeSlide(file)
        try {
          expect(slide.backend).toBe('libvips')
          expect(slide.formatName).toBe('Aperio SVS')
          expect(slide.format).toBe('svs')
          expect([slide.width, slide.height]).toEqual([SVS_SIZE, SVS_SIZE])
          expect(slide.properties).toMatchObject({
            vendor: 'aperio',
            mppX: 0.2527,
            mppY: 0.2527,
            magnification: 40,
          })
          expect(slide.properties.scanner).toContain('SS7777')
          expect(slide.levels[0].downsample).toBe(1)
          expect(slide.levels.length).toBeGreaterThan(4)
          for (let i = 1; i < slide.levels.length; i++)
            expect(slide.levels[i].downsample).toBeCloseTo(2 ** i, 0)
          // On the tissue island's edge at level 0, and across a level-2 tile boundary.
          const x0 = Math.round(SVS_SIZE * 0.2) - 300
          const y0 = Math.round(SVS_SIZE * 0.3) - 200
          const mine = await slide.readRegion(0, x0, y0, 1000, 700)
          const ref = await vipsExtractArea(file, { page: 0 }, x0, y0, 1000, 700)
          expect(maxDifference(mine, ref)).toBe(0)
          expect(new Set(mine.data).size).toBeGreaterThan(10) // not all glass: the island is in it
          const l2 = slide.levels[2]
          const at = [Math.floor(l2.width * 0.25) - 77, Math.floor(l2.height * 0.35) - 33] as const
          expect(
            maxDifference(
              await slide.readRegion(2, at[0], at[1], 600, 500),
              await vipsExtractArea(file, { page: 2 }, at[0], at[1], 600, 500),
            ),
          ).toBe(0)
          // Past the right edge: white glass, not garbage.
          const edge = await slide.readRegion(0, SVS_SIZE - 10, 0, 20, 4)
          expect(edge.data[(2 * 20 + 15) * 3]).toBe(255)
        } finally {
          await slide.close()
        }
      },
      FIXTURE_TIMEOUT,
    )

    it(
      `an OME-TIFF ${OME_SIZE.toLocaleString('en')}² with its pyramid in SubIFDs and the pixel size in OME-XML`,
      async () => {
        const file = makeOmeTiff(dir, OME_SIZE)
        const slide = await openWholeSlide(file)
        try {
          expect(slide.formatName).toBe('OME-TIFF')
          expect(slide.properties).toMatchObject({ vendor: 'ome', mppX: 0.5, mppY: 0.5 })
          expect(slide.levels.map((l) => l.width)).toEqual(
            slide.levels.map((_, i) => Math.floor(OME_SIZE / 2 ** i)),
          )
          const x = Math.round(OME_SIZE * 0.3)
          const y = Math.round(OME_SIZE * 0.35)
          const mine = await slide.readRegion(0, x, y, 900, 600)
          expect(maxDifference(mine, await vipsExtractArea(file, {}, x, y, 900, 600))).toBe(0)
          const mine1 = await slide.readRegion(1, x / 2, y / 2, 700, 513)
          expect(
            maxDifference(mine1, await vipsExtractArea(file, { subifd: 0 }, x / 2, y / 2, 700, 513)),
          ).toBe(0)
        } finally {
          await slide.close()
        }
      },
      FIXTURE_TIMEOUT,
    )

    it('a tiled BigTIFF past 4 GB: tiles and directories at offsets beyond 32 bits', async () => {
      const file = makeSparseBigTiff(dir, 40_000)
      expect(fs.statSync(file).size).toBeGreaterThan(4 * 2 ** 30)
      const slide = await openWholeSlide(file)
      try {
        expect(slide.formatName).toBe('tiled BigTIFF')
        expect(slide.levels.length).toBeGreaterThan(5)
        // Level 0's last tiles sit past 4 GB; so does every later level.
        const mine = await slide.readRegion(0, 39_000, 39_300, 1000, 700)
        expect(maxDifference(mine, await vipsExtractArea(file, { page: 0 }, 39_000, 39_300, 1000, 700))).toBe(
          0,
        )
        const tissue = await slide.readRegion(3, 100, 100, 300, 300)
        const ref = await vipsExtractArea(file, { page: 3 }, 100, 100, 300, 300)
        expect(maxDifference(tissue, ref)).toBe(0)
        expect(new Set(tissue.data).size).toBeGreaterThan(3)
      } finally {
        await slide.close()
      }
    })

    it('keeps decoded tiles in a cache bounded in bytes, however much is read', async () => {
      const file = makeOmeTiff(dir, 4096)
      const slide = await openWholeSlide(file)
      const limit = slideTileCache.limit
      slideTileCache.limit = 8 * 512 * 512 * 3
      try {
        for (let y = 0; y < 4096; y += 700)
          for (let x = 0; x < 4096; x += 700) await slide.readRegion(0, x, y, 600, 600)
        expect(slideTileCache.bytes).toBeLessThanOrEqual(slideTileCache.limit)
        expect(slideTileCache.bytes).toBeGreaterThan(0)
      } finally {
        slideTileCache.limit = limit
        await slide.close()
      }
    })

    it('refuses tiles libtiff cannot decode with a message naming the compression', async () => {
      process.env.S4MI_OPENSLIDE = 'off'
      resetOpenSlideLookup()
      const file = makeJpeg2000Svs(dir, 1024)
      await expect(openWholeSlide(file)).rejects.toThrow(
        /jpeg2000-1024\.svs: .*JPEG 2000 \(Aperio, RGB\).*install OpenSlide/,
      )
    })
  },
)

describe.skipIf(!tools)('OpenSlide formats', () => {
  it('NDPI without OpenSlide: a clear "install OpenSlide" message, and the listing says it is absent', async () => {
    process.env.S4MI_OPENSLIDE = 'off'
    resetOpenSlideLookup()
    const file = makeNdpi(dir, 2048, 1536)
    await expect(openWholeSlide(file)).rejects.toThrow(
      /slide-2048x1536\.ndpi: needs OpenSlide.*install OpenSlide.*\.ndpi/,
    )
    const listing = describeSlideFormats().join('\n')
    expect(listing).toMatch(/OpenSlide: not installed/)
    expect(listing).toMatch(/✗ Hamamatsu NDPI/)
    expect(listing).toMatch(/✓ Aperio SVS/)
  })

  it.skipIf(!openSlideLibrary() || !fixtureTools.openslideTools)(
    'NDPI with OpenSlide installed: opens, with its pixel size and lens, regions as openslide-write-png gives them',
    async () => {
      // Small: the fixture's levels are single JPEGs, which OpenSlide decodes whole for every read.
      const file = makeNdpi(dir, 2048, 1536)
      const slide = await openWholeSlide(file)
      try {
        expect(slide.backend).toBe('openslide')
        expect(slide.formatName).toBe('Hamamatsu NDPI')
        expect(slide.properties.magnification).toBe(20)
        expect(slide.properties.mppX).toBeCloseTo(0.46, 3)
        const mine = await slide.readRegion(0, 700, 500, 600, 400)
        const png = path.join(dir, 'openslide.png')
        execFileSync('openslide-write-png', [file, '700', '500', '0', '600', '400', png])
        const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
        expect(
          maxDifference(mine, {
            data: new Uint8Array(data),
            width: info.width,
            height: info.height,
            channels: 3,
          }),
        ).toBe(0)
        expect(describeSlideFormats().join('\n')).toMatch(/✓ Hamamatsu NDPI/)
      } finally {
        await slide.close()
      }
    },
  )
})
