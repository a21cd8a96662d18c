import path from 'node:path'
import sharp from 'sharp'
import type { RegionPixels as RawImage } from './slideReader'
import { assembleRegion, slideTileCache } from './regionCache'
import { rawPixels } from './rawPixels'
import { SlideFormatError, type SlideLevel, type SlideReader } from './slideReader'
import {
  aperioProperties,
  isAperioDescription,
  isOmeXml,
  omeProperties,
  tiffResolutionMpp,
  type SlideProperties,
} from './slideProperties'
import { canDecodeCompression, compressionName } from './tiffCompression'
import { readTiffStructure, type TiffDirectory, type TiffStructure } from './tiffStructure'

/**
 * TIFF pyramids read by libvips (through sharp): Aperio SVS (JPEG tiles with shared JPEGTables, levels in
 * the main IFD chain beside a stripped thumbnail, label and macro image), OME-TIFF (levels in SubIFDs) and
 * generic tiled TIFF/BigTIFF (levels as pages, as `vips tiffsave --pyramid` writes them). geotiff.js reads
 * the structure and tags (tiffStructure.ts); libvips decodes only the tiles a region touches.
 */

interface LevelSource extends SlideLevel {
  page: number
  subifd: number | null
}

let nextId = 0

/** Does `d` look like a reduced copy of `base` (same aspect within a pixel of rounding)? */
function isReducedCopy(base: TiffDirectory, d: TiffDirectory): boolean {
  if (d.width >= base.width || d.samplesPerPixel !== base.samplesPerPixel) return false
  const f = base.width / d.width
  return Math.abs(base.height / f - d.height) <= 1.5 + base.height / base.width
}

/** The directories forming the pyramid: page 0, then its SubIFDs (OME-TIFF) or the later tiled pages. */
export function pyramidDirectories(s: TiffStructure): TiffDirectory[] {
  const base = s.pages[0]
  if (!base) throw new Error('The TIFF has no images')
  const candidates = base.subifds.length > 0 ? base.subifds : s.pages.slice(1).filter((p) => p.tiled)
  const out: TiffDirectory[] = [base]
  for (const d of [...candidates].sort((a, b) => b.width - a.width))
    if (isReducedCopy(out[out.length - 1], d)) out.push(d)
  return out
}

function describe(s: TiffStructure, base: TiffDirectory): { format: string; formatName: string } {
  if (isAperioDescription(base.description)) return { format: 'svs', formatName: 'Aperio SVS' }
  if (isOmeXml(base.description)) return { format: 'ome-tiff', formatName: 'OME-TIFF' }
  const kind = base.tiled ? 'tiled' : 'striped'
  return { format: 'tiff', formatName: `${kind} ${s.bigTiff ? 'BigTIFF' : 'TIFF'}` }
}

function properties(base: TiffDirectory): SlideProperties {
  if (isAperioDescription(base.description)) return aperioProperties(base.description)
  if (isOmeXml(base.description)) return omeProperties(base.description)
  return { vendor: 'tiff', ...tiffResolutionMpp(base.resolution), magnification: null, scanner: null }
}

/** Why a directory cannot be read by libvips, or null when it can. */
export function undecodableReason(dirs: TiffDirectory[]): string | null {
  const bad = dirs.find((d) => !canDecodeCompression(d.compression))
  if (!bad) return null
  return `its tiles are compressed with ${compressionName(bad.compression)}, which the built-in TIFF reader cannot decode`
}

export class TiffSlide implements SlideReader {
  readonly backend = 'libvips' as const
  private readonly id = `tiff${nextId++}`

  private constructor(
    readonly file: string,
    readonly format: string,
    readonly formatName: string,
    readonly width: number,
    readonly height: number,
    readonly levels: readonly LevelSource[],
    readonly properties: SlideProperties,
  ) {}

  static async open(file: string, structure?: TiffStructure): Promise<TiffSlide> {
    const s = structure ?? (await readTiffStructure(file))
    const dirs = pyramidDirectories(s)
    const reason = undecodableReason(dirs)
    if (reason)
      throw new SlideFormatError(file, `${reason}; install OpenSlide to open it, or convert it to JPEG tiles`)
    const base = dirs[0]
    if (base.bitsPerSample > 16 || ![1, 2, 3, 4].includes(base.samplesPerPixel))
      throw new SlideFormatError(
        file,
        `${base.samplesPerPixel} samples of ${base.bitsPerSample} bits per pixel; only grey and RGB(A) slides of 8 or 16 bits are read`,
      )
    const levels = dirs.map((d) => ({
      width: d.width,
      height: d.height,
      downsample: base.width / d.width,
      page: d.page,
      subifd: d.subifd,
    }))
    const { format, formatName } = describe(s, base)
    return new TiffSlide(file, format, formatName, base.width, base.height, levels, properties(base))
  }

  readRegion(level: number, x: number, y: number, width: number, height: number): Promise<RawImage> {
    const lv = this.levels[level]
    if (!lv)
      throw new Error(`${path.basename(this.file)} has levels 0..${this.levels.length - 1}, not ${level}`)
    return assembleRegion(`${this.id}|${level}`, lv, x, y, width, height, async (left, top, w, h) => {
      // Region reads of a tiled pyramid decode only the tiles they touch, so the input pixel limit that
      // guards whole-image decodes does not apply (limitInputPixels: false).
      const input = sharp(this.file, {
        page: lv.page,
        ...(lv.subifd === null ? {} : { subifd: lv.subifd }),
        limitInputPixels: false,
      })
      try {
        return rawPixels(
          await input
            .extract({ left, top, width: w, height: h })
            .flatten({ background: '#ffffff' })
            .toColourspace('srgb')
            .raw({ depth: 'uchar' })
            .toBuffer({ resolveWithObject: true }),
        )
      } catch (e) {
        throw new Error(
          `${path.basename(this.file)}: cannot read level ${level} at ${left},${top}: ${(e as Error).message.split('\n')[0]}`,
        )
      }
    })
  }

  async close(): Promise<void> {
    slideTileCache.forget(`${this.id}|`)
  }
}
