import path from 'node:path'
import { openSlideLibrary } from './openSlideLibrary'
import { OpenSlideReader } from './openSlideReader'
import { MAX_SLIDE_PIXELS, SlideFormatError, type SlideReader } from './slideReader'
import { isMultiFileSlide, isOpenSlideOnly, slideFormatOf } from './slideFormats'
import { pyramidDirectories, TiffSlide, undecodableReason } from './tiffSlide'
import { readTiffStructure, type TiffStructure } from './tiffStructure'

/**
 * Opens a whole-slide image for region reads, choosing the reader: OpenSlide for the formats only it reads
 * (by extension, or by the stored format id of a file kept without one), the built-in TIFF reader for the
 * TIFF family, and OpenSlide again for TIFF slides whose tiles libtiff cannot decode (Aperio JPEG 2000).
 * Throws SlideFormatError with a message naming the file when it cannot be opened.
 */
export async function openWholeSlide(file: string, storedFormat?: string): Promise<SlideReader> {
  const slide = await openReader(file, storedFormat)
  if (slide.width * slide.height > MAX_SLIDE_PIXELS) {
    await slide.close()
    throw new SlideFormatError(
      file,
      `claims ${slide.width} × ${slide.height} pixels, more than the ${MAX_SLIDE_PIXELS.toExponential()} a slide may have`,
    )
  }
  return slide
}

async function openReader(file: string, storedFormat?: string): Promise<SlideReader> {
  const name = path.basename(file)
  if (isMultiFileSlide(file))
    throw new SlideFormatError(
      file,
      `${slideFormatOf(file)?.name} slides are several files and are not imported in this version; convert it to a pyramidal TIFF first (vips tiffsave ${name} out.tif --tile --pyramid --compression jpeg --bigtiff)`,
    )
  const format = slideFormatOf(file)
  if (format?.reader === 'openslide' || (storedFormat && isOpenSlideOnly(storedFormat)))
    return OpenSlideReader.open(file)
  let structure: TiffStructure
  try {
    structure = await readTiffStructure(file)
  } catch (e) {
    throw new SlideFormatError(file, `is not a readable TIFF slide: ${(e as Error).message.split('\n')[0]}`)
  }
  const reason = undecodableReason(pyramidDirectories(structure))
  if (reason && openSlideLibrary()) return OpenSlideReader.open(file)
  return TiffSlide.open(file, structure)
}
