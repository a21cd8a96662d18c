import path from 'node:path'
import type { RegionPixels as RawImage } from './slideReader'
import { decodeStringList, openSlideLibrary, type OpenSlideLibrary } from './openSlideLibrary'
import { assembleRegion, slideTileCache } from './regionCache'
import { SlideFormatError, type SlideLevel, type SlideReader } from './slideReader'
import { openSlideProperties, type SlideProperties } from './slideProperties'

/** Vendor names OpenSlide reports, in words. */
const VENDOR_NAMES: Record<string, string> = {
  aperio: 'Aperio SVS',
  hamamatsu: 'Hamamatsu',
  leica: 'Leica SCN',
  mirax: '3DHISTECH MRXS',
  philips: 'Philips TIFF',
  sakura: 'Sakura SVSlide',
  trestle: 'Trestle TIFF',
  ventana: 'Ventana BIF',
  'generic-tiff': 'generic tiled TIFF',
}

let nextId = 0

function call<T>(fn: { async: (...a: unknown[]) => void }, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    fn.async(...args, (err: unknown, res: T) => (err ? reject(err) : resolve(res))),
  )
}

/** Premultiplied ARGB (OpenSlide's pixels, native little-endian BGRA bytes) → RGB composited over white. */
export function argbToRgbOnWhite(argb: Uint8Array, width: number, height: number): RawImage {
  const n = width * height
  const out = new Uint8Array(n * 3)
  for (let i = 0; i < n; i++) {
    const b = argb[i * 4]
    const g = argb[i * 4 + 1]
    const r = argb[i * 4 + 2]
    const a = argb[i * 4 + 3]
    const white = 255 - a
    out[i * 3] = r + white
    out[i * 3 + 1] = g + white
    out[i * 3 + 2] = b + white
  }
  return { data: out, width, height, channels: 3 }
}

/** A slide read through the system's OpenSlide (openSlideLibrary.ts); reads run on koffi's worker threads. */
export class OpenSlideReader implements SlideReader {
  readonly backend = 'openslide' as const
  private readonly id = `openslide${nextId++}`
  private closed = false

  private constructor(
    private readonly lib: OpenSlideLibrary,
    private readonly handle: unknown,
    readonly file: string,
    readonly format: string,
    readonly formatName: string,
    readonly width: number,
    readonly height: number,
    readonly levels: readonly SlideLevel[],
    readonly properties: SlideProperties,
    readonly rawProperties: Record<string, string>,
  ) {}

  static async open(file: string): Promise<OpenSlideReader> {
    const lib = openSlideLibrary()
    if (!lib)
      throw new SlideFormatError(
        file,
        `needs OpenSlide, which is not installed: install OpenSlide (openslide.org; Debian/Ubuntu: apt install libopenslide0) to open ${path.extname(file) || 'these'} files`,
      )
    const handle = await call<unknown>(lib.open, file)
    if (!handle) throw new SlideFormatError(file, 'OpenSlide does not recognise this file')
    const error = lib.getError(handle) as string | null
    if (error) {
      lib.close(handle)
      throw new SlideFormatError(file, `OpenSlide cannot read it: ${error}`)
    }
    const props: Record<string, string> = {}
    for (const name of decodeStringList(lib.propertyNames(handle)))
      props[name] = (lib.propertyValue(handle, name) as string | null) ?? ''
    const levels: SlideLevel[] = []
    const count = lib.levelCount(handle) as number
    for (let i = 0; i < count; i++) {
      const w = [0]
      const h = [0]
      lib.levelDimensions(handle, i, w, h)
      levels.push({
        width: Number(w[0]),
        height: Number(h[0]),
        downsample: lib.levelDownsample(handle, i) as number,
      })
    }
    const vendor = props['openslide.vendor'] ?? 'openslide'
    const ext = path.extname(file).slice(1).toLowerCase()
    const format = vendor === 'hamamatsu' ? ext || 'ndpi' : vendor
    const formatName =
      vendor === 'hamamatsu' ? `Hamamatsu ${ext.toUpperCase() || 'NDPI'}` : (VENDOR_NAMES[vendor] ?? vendor)
    return new OpenSlideReader(
      lib,
      handle,
      file,
      format,
      formatName,
      levels[0].width,
      levels[0].height,
      levels,
      openSlideProperties(props),
      props,
    )
  }

  readRegion(level: number, x: number, y: number, width: number, height: number): Promise<RawImage> {
    const lv = this.levels[level]
    if (!lv)
      throw new Error(`${path.basename(this.file)} has levels 0..${this.levels.length - 1}, not ${level}`)
    return assembleRegion(`${this.id}|${level}`, lv, x, y, width, height, async (left, top, w, h) => {
      if (this.closed) throw new Error(`${path.basename(this.file)} was closed`)
      const dest = new Uint32Array(w * h)
      // OpenSlide takes the top-left corner in level-0 coordinates.
      const x0 = Math.round(left * lv.downsample)
      const y0 = Math.round(top * lv.downsample)
      await call(this.lib.readRegion, this.handle, dest, x0, y0, level, w, h)
      const error = this.lib.getError(this.handle) as string | null
      if (error) throw new Error(`${path.basename(this.file)}: OpenSlide read failed: ${error}`)
      return argbToRgbOnWhite(new Uint8Array(dest.buffer), w, h)
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    slideTileCache.forget(`${this.id}|`)
    this.lib.close(this.handle)
  }
}
