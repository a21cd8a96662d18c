import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { insideFolder } from './insideFolder'
import { maskToClassIndices } from './maskToClassIndices'
import type { RawImage } from './rawImage'
import { parseCsv } from './readCsv'
import { redChannelNormalization } from './redChannelNormalization'
import { resizeImageFile } from './importResize'
import { resizeBilinear } from './resizeBilinear'
import { flip, resizeNearest, rot90, rotate, trainingAugmentation } from './trainingAugmentation'

const grey = (width: number, height: number, values: number[]): RawImage => ({
  data: Uint8Array.from(values),
  width,
  height,
  channels: 1,
})
const values = (img: RawImage) => [...img.data]

describe('resizeBilinear (half-pixel centres, as PyTorch align_corners=False)', () => {
  it('upsamples [0, 100] to [0, 25, 75, 100] and downsamples [0, 10, 20, 30] to [5, 25]', () => {
    expect(values(resizeBilinear(grey(2, 1, [0, 100]), 4, 1))).toEqual([0, 25, 75, 100])
    expect(values(resizeBilinear(grey(4, 1, [0, 10, 20, 30]), 2, 1))).toEqual([5, 25])
  })

  it('interpolates in both directions and clamps at the edges', () => {
    expect(values(resizeBilinear(grey(2, 2, [0, 100, 100, 200]), 3, 3))).toEqual([
      0, 50, 100, 50, 100, 150, 100, 150, 200,
    ])
  })

  it('keeps channels apart', () => {
    const rgb = { data: Uint8Array.from([0, 10, 200, 100, 30, 0]), width: 2, height: 1, channels: 3 }
    expect(values(resizeBilinear(rgb, 4, 1))).toEqual([0, 10, 200, 25, 15, 150, 75, 25, 50, 100, 30, 0])
  })
})

describe('resizeImageFile (lesion import: whole image to 480 × 480)', () => {
  it('gives a 480 × 480 RGB PNG, ignoring aspect ratio, preserving flat colour and a left-right edge', async () => {
    const data = Buffer.alloc(40 * 30 * 3)
    for (let y = 0; y < 30; y++)
      for (let x = 20; x < 40; x++) data.fill(200, (y * 40 + x) * 3, (y * 40 + x) * 3 + 3)
    const png = await resizeImageFile(
      await sharp(data, { raw: { width: 40, height: 30, channels: 3 } })
        .png()
        .toBuffer(),
      480,
    )
    const { data: out, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([480, 480, 3])
    const at = (x: number, y: number) => out[(y * 480 + x) * 3]
    expect(at(10, 10)).toBe(0)
    expect(at(470, 470)).toBe(200)
    const row = Array.from({ length: 480 }, (_, x) => at(x, 240))
    for (let x = 1; x < 480; x++) expect(row[x]).toBeGreaterThanOrEqual(row[x - 1])
  })
})

describe('resizeImageFile against Pillow (committed reference, fixtures/makeResizeReference.py)', () => {
  it('matches PIL Image.resize(BILINEAR), which torchvision Resize uses, to within rounding on a 300 × 200 → 64 × 64 shrink', async () => {
    const fixtures = path.join(__dirname, 'fixtures')
    const ours = await sharp(await resizeImageFile(path.join(fixtures, 'resize-input.png'), 64))
      .raw()
      .toBuffer()
    const pil = await sharp(path.join(fixtures, 'resize-pil-bilinear-64.png')).raw().toBuffer()
    expect(ours.length).toBe(pil.length)
    let max = 0
    let sum = 0
    for (let i = 0; i < ours.length; i++) {
      const e = Math.abs(ours[i] - pil[i])
      max = Math.max(max, e)
      sum += e
    }
    // Measured: libvips linear 4 / 0.32; nearest would be 109 / 2.2, cubic 12 / 0.95.
    expect(max).toBeLessThanOrEqual(6)
    expect(sum / ours.length).toBeLessThan(0.5)
  })
})

describe('redChannelNormalization (Thanh et al. 2019: r = R / (R + G + B))', () => {
  it('replaces R by round(255 R / (R + G + B)) and leaves G, B, alpha alone', () => {
    const img = {
      data: Uint8Array.from([30, 60, 90, 9, 0, 0, 0, 7, 255, 0, 0, 1, 100, 100, 100, 2]),
      width: 4,
      height: 1,
      channels: 4,
    }
    expect(values(redChannelNormalization(img))).toEqual([
      43, 60, 90, 9, 0, 0, 0, 7, 255, 0, 0, 1, 85, 100, 100, 2,
    ])
    expect(() => redChannelNormalization(grey(1, 1, [5]))).toThrow(/RGB/)
  })

  it('is invariant to the brightness of the light (scaling all channels)', () => {
    const dim = { data: Uint8Array.from([20, 40, 60]), width: 1, height: 1, channels: 3 }
    const bright = { data: Uint8Array.from([80, 160, 240]), width: 1, height: 1, channels: 3 }
    expect(redChannelNormalization(dim).data[0]).toBe(redChannelNormalization(bright).data[0])
  })
})

describe('geometric augmentation', () => {
  const img = grey(3, 2, [1, 2, 3, 4, 5, 6])

  it('rot90 turns counter-clockwise like numpy.rot90', () => {
    const r1 = rot90(img, 1)
    expect([r1.width, r1.height, ...values(r1)]).toEqual([2, 3, 3, 6, 2, 5, 1, 4])
    expect(values(rot90(img, 2))).toEqual([6, 5, 4, 3, 2, 1])
    expect(values(rot90(img, 4))).toEqual(values(img))
    expect(values(rot90(img, -1))).toEqual(values(rot90(img, 3)))
  })

  it('flip mirrors left-right and top-bottom', () => {
    expect(values(flip(img, 'x'))).toEqual([3, 2, 1, 6, 5, 4])
    expect(values(flip(img, 'y'))).toEqual([4, 5, 6, 1, 2, 3])
  })

  it('rotate by 90° matches rot90, both interpolations; corners of a 45° turn are filled', () => {
    const sq = grey(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(values(rotate(sq, 90, 'nearest'))).toEqual(values(rot90(sq, 1)))
    expect(values(rotate(sq, 90, 'bilinear'))).toEqual(values(rot90(sq, 1)))
    const five = grey(5, 5, Array(25).fill(9))
    const r = rotate(five, 45, 'nearest', 0)
    expect(r.data[0]).toBe(0)
    expect(r.data[12]).toBe(9)
  })

  it('resizeNearest never invents values', () => {
    expect(values(resizeNearest(grey(2, 1, [0, 1]), 4, 2))).toEqual([0, 0, 1, 1, 0, 0, 1, 1])
  })

  function sequence(...xs: number[]) {
    let i = 0
    return () => xs[i++]
  }
  const pattern = (w: number, h: number) =>
    grey(
      w,
      h,
      Array.from({ length: w * h }, (_, i) => (i * 37) % 256),
    )
  const maskOf = (im: RawImage) =>
    grey(
      im.width,
      im.height,
      values(im).map((v) => (v > 128 ? 1 : 0)),
    )

  it('trainingAugmentation: quarter turn + flip branch moves image and mask alike', () => {
    const im = pattern(6, 6)
    const out = trainingAugmentation(im, maskOf(im), sequence(0.9, 0.3, 0.7), { size: 6 })
    expect(values(out.image)).toEqual(values(flip(rot90(im, 1), 'x')))
    expect(values(out.mask!)).toEqual(values(maskOf(out.image)))
  })

  it('trainingAugmentation: free rotation branch, bilinear image, nearest mask', () => {
    const im = pattern(8, 8)
    const out = trainingAugmentation(im, maskOf(im), sequence(0.2, 0.9, 0.75), { size: 8, maxDegrees: 20 })
    expect(values(out.image)).toEqual(values(rotate(im, 10, 'bilinear')))
    expect(values(out.mask!)).toEqual(values(rotate(maskOf(im), 10, 'nearest')))
    expect(new Set(values(out.mask!)).size).toBeLessThanOrEqual(2)
  })

  it('trainingAugmentation: always ends at 224 × 224 (bilinear image, nearest mask)', () => {
    const im = pattern(448, 448)
    const out = trainingAugmentation(im, maskOf(im), sequence(0.2, 0.2))
    expect([out.image.width, out.image.height, out.mask!.width]).toEqual([224, 224, 224])
    expect(values(out.image)).toEqual(values(resizeBilinear(im, 224, 224)))
    expect(() => trainingAugmentation(im, pattern(3, 3), sequence(0.1, 0.1))).toThrow(/Mask is 3 × 3/)
  })
})

describe('maskToClassIndices', () => {
  const rgbOf = (v: number[]) => ({
    data: Uint8Array.from(v.flatMap((x) => [x, x, x])),
    width: v.length,
    height: 1,
    channels: 3,
  })
  it('turns 0/255 into 0/1, keeps class indices, accepts grey saved as RGB', () => {
    expect(maskToClassIndices(grey(3, 1, [0, 255, 0]), 2)).toEqual({ mask: grey(3, 1, [0, 1, 0]) })
    expect(maskToClassIndices(grey(3, 1, [0, 2, 1]), 2)).toEqual({ mask: grey(3, 1, [0, 2, 1]) })
    expect(maskToClassIndices(rgbOf([255, 0]), 1)).toEqual({ mask: grey(2, 1, [1, 0]) })
  })

  it('refuses soft edges, indices above the class count and coloured masks', () => {
    expect(maskToClassIndices(grey(3, 1, [0, 128, 255]), 3)).toEqual({
      problem: 'mask values must be 0/255 or class indices 0..3; found 128, 255',
    })
    expect(maskToClassIndices(grey(2, 1, [0, 3]), 2)).toEqual({
      problem: 'mask values must be 0/255 or class indices 0..2; found 3',
    })
    const colour = { data: Uint8Array.from([0, 0, 0, 255, 0, 0]), width: 2, height: 1, channels: 3 }
    expect(maskToClassIndices(colour, 2)).toEqual({
      problem: 'mask is in colour at pixel (1, 0); expected grey class indices or 0/255',
    })
  })
})

describe('parseCsv and insideFolder', () => {
  it('parses quotes, doubled quotes, CRLF, a BOM and blank lines', () => {
    expect(parseCsv('\ufeffimage,"a, b"\r\n"x ""1""",1\r\n\r\ny,0')).toEqual([
      ['image', 'a, b'],
      ['x "1"', '1'],
      ['y', '0'],
    ])
    expect(() => parseCsv('a,"b')).toThrow(/quoted/)
  })

  it('refuses paths leading outside the folder and symbolic links', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-inside-'))
    try {
      fs.mkdirSync(path.join(root, 'images'))
      fs.writeFileSync(path.join(root, 'images/a.png'), 'x')
      fs.symlinkSync('/etc/hostname', path.join(root, 'images/l.png'))
      expect(insideFolder(root, 'images/a.png')).toEqual({ file: path.join(root, 'images/a.png') })
      expect(insideFolder(root, '../etc/passwd')).toEqual({ problem: 'path leads outside the import folder' })
      expect(insideFolder(root, '/etc/passwd')).toEqual({ problem: 'path leads outside the import folder' })
      expect(insideFolder(root, 'images/l.png')).toMatchObject({
        problem: expect.stringMatching(/symbolic link/),
      })
      expect(insideFolder(root, 'images/none.png')).toEqual({ problem: 'file not found' })
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
})
