import path from 'node:path'
import type { SlideProperties } from './slideProperties'

/** Decoded pixels of a region, interleaved RGB, 8 bits per sample (the shape of data/rawImage's RawImage). */
export interface RegionPixels {
  data: Uint8Array
  width: number
  height: number
  channels: number
}

/**
 * The most pixels a slide may have: a whole 75 × 25 mm slide scanned at 0.25 µm per pixel (40×) is
 * 300,000 × 100,000 = 3·10¹⁰; a file claiming more is refused before any pixel is read.
 */
export const MAX_SLIDE_PIXELS = 1e11

/** One resolution level of a slide as stored in the file (not every power of two is present). */
export interface SlideLevel {
  width: number
  height: number
  /** Level-0 pixels per pixel of this level (1, 4, 16… for Aperio; 2^k for vips pyramids). */
  downsample: number
}

/**
 * An open whole-slide image read region by region: never a whole level in memory, decoded tiles kept in a
 * bounded cache (regionCache.ts). Implemented over libvips for TIFF pyramids (tiffSlide.ts) and over the
 * system's OpenSlide for the formats only it reads (openSlideReader.ts).
 */
export interface SlideReader {
  readonly file: string
  /** What decodes the pixels: 'libvips' (sharp) or 'openslide'. */
  readonly backend: 'libvips' | 'openslide'
  /** The format in words ('Aperio SVS', 'OME-TIFF', 'tiled BigTIFF', 'Hamamatsu NDPI', …). */
  readonly formatName: string
  /** Short stored format id ('svs', 'ome-tiff', 'tiff', 'ndpi', …), as the images table records it. */
  readonly format: string
  readonly width: number
  readonly height: number
  /** Level 0 first, downsample increasing. */
  readonly levels: readonly SlideLevel[]
  readonly properties: SlideProperties
  /**
   * 8-bit RGB pixels of a rectangle of `level`, in that level's pixel coordinates. Parts outside the slide
   * (and transparent parts) read as white, the colour of empty glass.
   */
  readRegion(level: number, x: number, y: number, width: number, height: number): Promise<RegionPixels>
  close(): Promise<void>
}

/** A slide the app cannot open, with a message that names the file and what to do. */
export class SlideFormatError extends Error {
  /** `problem` is phrased to follow the file name ("needs OpenSlide…", "its tiles are…"), as import reports list it. */
  constructor(
    file: string,
    readonly problem: string,
  ) {
    super(`${path.basename(file)}: ${problem}`)
    this.name = 'SlideFormatError'
  }
}

/** The stored level whose downsample is the largest not above `downsample` (read it, then shrink). */
export function levelForDownsample(levels: readonly SlideLevel[], downsample: number): number {
  let best = 0
  for (let i = 0; i < levels.length; i++) if (levels[i].downsample <= downsample * 1.0001) best = i
  return best
}
