// Test fixtures: writes tiny datasets in each exact layout the importers read (including the files
// the ISIC importer must skip). Used by the tests and the import benchmark; never by the app.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import sharp from 'sharp'
import { createSeededRandom } from '../engine/seededRandom'

export interface FixtureImage {
  width: number
  height: number
  seed: number
}

/** Pseudo-random RGB pixels, so no two fixture images share a content hash. */
export function noiseRgb({ width, height, seed }: FixtureImage): Buffer {
  const rnd = createSeededRandom(seed)
  const data = Buffer.alloc(width * height * 3)
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd.next() * 256)
  return data
}

export async function writeImage(file: string, img: FixtureImage): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const s = sharp(noiseRgb(img), { raw: { width: img.width, height: img.height, channels: 3 } })
  const ext = path.extname(file).toLowerCase()
  const out =
    ext === '.png' ? s.png() : ext === '.tif' || ext === '.tiff' ? s.tiff() : s.jpeg({ quality: 90 })
  await out.toFile(file)
}

/** A binary 0/255 mask: a filled rectangle in the middle. */
export function rectangleMask(width: number, height: number, on = 255): Buffer {
  const data = Buffer.alloc(width * height)
  for (let y = Math.floor(height / 4); y < Math.ceil((3 * height) / 4); y++) {
    for (let x = Math.floor(width / 4); x < Math.ceil((3 * width) / 4); x++) data[y * width + x] = on
  }
  return data
}

export async function writeMask(
  file: string,
  width: number,
  height: number,
  data = rectangleMask(width, height),
) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  await sharp(data, { raw: { width, height, channels: 1 } })
    .png()
    .toFile(file)
}

/** `images/`, `masks/` (same stems) and `labels.csv` with one 0/1 column per class. */
export async function writeFolderDataset(
  root: string,
  images: { name: string; width: number; height: number; labels?: number[]; mask?: boolean }[],
  classes: string[],
  seed = 1,
): Promise<void> {
  let s = seed
  for (const img of images) {
    await writeImage(path.join(root, 'images', img.name), { width: img.width, height: img.height, seed: s++ })
    if (img.mask)
      await writeMask(path.join(root, 'masks', img.name.replace(/\.\w+$/, '.png')), img.width, img.height)
  }
  if (classes.length > 0) {
    const rows = images.map((img) =>
      [img.name, ...classes.map((_, c) => (img.labels?.includes(c) ? '1' : '0'))].join(','),
    )
    fs.writeFileSync(
      path.join(root, 'labels.csv'),
      ['image', ...classes].join(',') + '\n' + rows.join('\n') + '\n',
    )
  }
}

/** ISIC-2017 as the challenge distributes it, `perSubset` images in each subset; label = i % 3. */
export async function writeIsic2017(
  root: string,
  perSubset: [number, number, number],
  size = { width: 32, height: 24 },
) {
  const parts = ['Training', 'Validation', 'Test_v2']
  let n = 0
  for (let p = 0; p < 3; p++) {
    if (perSubset[p] === 0) continue
    const data = path.join(root, `ISIC-2017_${parts[p]}_Data`)
    const gt = path.join(root, `ISIC-2017_${parts[p]}_Part1_GroundTruth`)
    fs.mkdirSync(gt, { recursive: true })
    const rows = ['image_id,melanoma,seborrheic_keratosis']
    for (let i = 0; i < perSubset[p]; i++, n++) {
      const id = `ISIC_${String(n).padStart(7, '0')}`
      await writeImage(path.join(data, `${id}.jpg`), { ...size, seed: 1000 + n })
      // The superpixel files sit beside the images and must be skipped.
      await sharp(noiseRgb({ ...size, seed: 5000 + n }), { raw: { ...size, channels: 3 } })
        .png()
        .toFile(path.join(data, `${id}_superpixels.png`))
      await writeMask(path.join(gt, `${id}_segmentation.png`), size.width, size.height)
      rows.push(`${id},${n % 3 === 0 ? '1.0' : '0.0'},${n % 3 === 1 ? '1.0' : '0.0'}`)
    }
    fs.writeFileSync(
      path.join(data, `ISIC-2017_${parts[p]}_Data_metadata.csv`),
      'image_id,age_approximate,sex\n',
    )
    fs.writeFileSync(path.join(root, `ISIC-2017_${parts[p]}_Part3_GroundTruth.csv`), rows.join('\n') + '\n')
  }
}

/** Dermofit: class folder / lesion folder / image + …mask.png. */
export async function writeDermofit(
  root: string,
  lesions: { cls: string; id: string }[],
  size = { width: 30, height: 20 },
) {
  let n = 0
  for (const { cls, id } of lesions) {
    const dir = path.join(root, cls, id)
    await writeImage(path.join(dir, `${id}.png`), { ...size, seed: 9000 + n++ })
    await writeMask(path.join(dir, `${id}mask.png`), size.width, size.height)
  }
}

/** A small PNG whose header claims `side` × `side` RGB pixels: a decompression bomb's calling card. */
export function pngClaiming(side: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc(body), 8 + data.length)
    return out
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const rows = zlib.deflateSync(Buffer.alloc(4 * (1 + 3 * side)))
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A flat-coloured PNG of `side` × `side` pixels: cheap to write, seconds to decode and tile when big. */
export async function writeFlatPng(file: string, side: number): Promise<void> {
  await sharp({
    create: { width: side, height: side, channels: 3, background: { r: 230, g: 220, b: 210 } },
    limitInputPixels: false,
  })
    .png({ compressionLevel: 1 })
    .toFile(file)
}
