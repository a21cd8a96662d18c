import { fromFile } from 'geotiff'
import { MAX_SLIDE_PIXELS } from './slideReader'

/**
 * The directories (IFDs) of a TIFF file as geotiff.js reads them: the main chain (pages) and, for OME-TIFF,
 * each page's sub-IFDs. Only tags are read here (geotiff fetches byte ranges lazily, BigTIFF included); the
 * pixels are decoded by libvips (see tiffSlide.ts).
 */
export interface TiffDirectory {
  /** Index in the main IFD chain (sharp's `page`). */
  page: number
  /** Index among that page's SubIFDs (sharp's `subifd`); null for the page itself. */
  subifd: number | null
  width: number
  height: number
  tiled: boolean
  tileWidth: number | null
  tileHeight: number | null
  /** TIFF Compression tag (1 none, 5 LZW, 7 JPEG, 8 deflate, 33003/33005 Aperio JPEG 2000…). */
  compression: number
  samplesPerPixel: number
  bitsPerSample: number
  /** NewSubfileType bit 0 (a reduced-resolution copy), as OME-TIFF and vips mark pyramid levels. */
  reduced: boolean
  description: string
  /** XResolution / YResolution with their unit (2 inch, 3 centimetre), when present. */
  resolution: { x: number; y: number; unit: number } | null
}

export interface TiffStructure {
  bigTiff: boolean
  pages: (TiffDirectory & { subifds: TiffDirectory[] })[]
}

/** Main-chain pages read at most; real slides have fewer than ten, OME-TIFF stacks may have more. */
const MAX_PAGES = 64

type Ifd = Awaited<ReturnType<Awaited<ReturnType<typeof fromFile>>['requestIFD']>>

function rational(v: unknown): number | null {
  if (typeof v === 'number') return v
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number')
    return v[1] === 0 ? null : v[0] / v[1]
  return null
}

async function directory(ifd: Ifd, page: number, subifd: number | null): Promise<TiffDirectory> {
  const num = (name: string): number | undefined => {
    const v = ifd.getValue(name as never) as unknown
    if (typeof v === 'number') return v
    if (Array.isArray(v) && typeof v[0] === 'number') return v[0]
    if (ArrayBuffer.isView(v) && (v as Uint16Array).length > 0) return Number((v as Uint16Array)[0])
    return undefined
  }
  const description = ifd.hasTag('ImageDescription')
    ? String((await ifd.loadValue('ImageDescription')) ?? '')
    : ''
  const xres = ifd.hasTag('XResolution') ? rational(await ifd.loadValue('XResolution')) : null
  const yres = ifd.hasTag('YResolution') ? rational(await ifd.loadValue('YResolution')) : null
  const tileWidth = num('TileWidth') ?? null
  const tileHeight = num('TileLength') ?? null
  const width = num('ImageWidth') ?? 0
  const height = num('ImageLength') ?? 0
  const where = subifd === null ? `page ${page}` : `page ${page} sub-IFD ${subifd}`
  if (width * height > MAX_SLIDE_PIXELS)
    throw new Error(
      `${where} claims ${width} × ${height} pixels, more than the ${MAX_SLIDE_PIXELS.toExponential()} a slide may have`,
    )
  // Every tile (or strip) needs an entry in the offset table: a file whose table is shorter than its
  // size needs is damaged, or a bomb claiming a size it does not hold.
  const samples = num('PlanarConfiguration') === 2 ? (num('SamplesPerPixel') ?? 1) : 1
  const rowsPerStrip = Math.min(num('RowsPerStrip') ?? height, height) || 1
  const needed =
    samples *
    (tileWidth !== null
      ? Math.ceil(width / tileWidth) * Math.ceil(height / (tileHeight ?? tileWidth))
      : Math.ceil(height / rowsPerStrip))
  const table = tileWidth !== null ? 'TileOffsets' : 'StripOffsets'
  const offsets = ifd.hasTag(table) ? ((await ifd.loadValue(table)) as unknown) : undefined
  const chunks =
    offsets === undefined ? 0 : typeof offsets === 'number' ? 1 : (offsets as ArrayLike<number>).length
  if (chunks < needed)
    throw new Error(
      `${where} is ${width} × ${height} pixels, which needs ${needed} ${tileWidth !== null ? 'tiles' : 'strips'}, but its ${table} table lists ${chunks}: the file is damaged`,
    )
  return {
    page,
    subifd,
    width,
    height,
    tiled: tileWidth !== null,
    tileWidth,
    tileHeight,
    compression: num('Compression') ?? 1,
    samplesPerPixel: num('SamplesPerPixel') ?? 1,
    bitsPerSample: num('BitsPerSample') ?? 1,
    reduced: ((num('NewSubfileType') ?? 0) & 1) === 1,
    // Trailing NULs and whitespace are common in vendors' descriptions.
    description: description.replace(/\0+$/, ''),
    resolution: xres && yres ? { x: xres, y: yres, unit: num('ResolutionUnit') ?? 2 } : null,
  }
}

/** Reads the directory structure of a TIFF or BigTIFF file; throws when the file is not a TIFF. */
export async function readTiffStructure(file: string): Promise<TiffStructure> {
  const tiff = await fromFile(file)
  try {
    const pages: TiffStructure['pages'] = []
    // The chain of IFDs is walked here, not by getImageCount: a chain that points back into itself would
    // loop for ever.
    const seen = new Set<number>()
    for (let p = 0; p < MAX_PAGES; p++) {
      const ifd = await tiff.requestIFD(p)
      const next = (ifd as { nextIFDByteOffset?: number }).nextIFDByteOffset ?? 0
      const main = await directory(ifd, p, null)
      const subifds: TiffDirectory[] = []
      if (ifd.hasTag('SubIFDs')) {
        const raw = (await ifd.loadValue('SubIFDs')) as unknown
        const offsets = (Array.isArray(raw) || ArrayBuffer.isView(raw) ? [...(raw as number[])] : [raw]).map(
          Number,
        )
        for (let s = 0; s < offsets.length; s++) {
          const sub = await tiff.parser.parseFileDirectoryAt(offsets[s])
          subifds.push(await directory(sub as Ifd, p, s))
        }
      }
      pages.push({ ...main, subifds })
      if (next === 0) break
      if (seen.has(next))
        throw new Error(`page ${p}'s next IFD points back into the chain: the file is damaged`)
      seen.add(next)
    }
    return { bigTiff: tiff.bigTiff, pages }
  } finally {
    await tiff.close()
  }
}
