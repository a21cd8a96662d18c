import path from 'node:path'
import { openSlideStatus } from './openSlideLibrary'

/** A whole-slide format the importer knows, and what reads it. */
export interface SlideFormat {
  name: string
  extensions: string[]
  /** 'built-in': libvips through sharp (+ geotiff.js for the structure); 'openslide': the system's OpenSlide. */
  reader: 'built-in' | 'openslide'
  note?: string
}

/**
 * The one list of whole-slide formats: the importer's file filter, `s4mi formats` and the README's table
 * all read it. Plain PNG/JPEG/TIFF images are listed by the importer beside these.
 */
export const SLIDE_FORMATS: readonly SlideFormat[] = [
  {
    name: 'Aperio SVS',
    extensions: ['.svs'],
    reader: 'built-in',
    note: 'JPEG tiles with shared JPEGTables; JPEG 2000 tiles go through OpenSlide when it is installed',
  },
  {
    name: 'OME-TIFF',
    extensions: ['.ome.tif', '.ome.tiff', '.ome.btf', '.ome.tf2', '.ome.tf8'],
    reader: 'built-in',
    note: 'pyramid levels in SubIFDs; pixel size from the OME-XML',
  },
  {
    name: 'tiled TIFF / BigTIFF pyramid',
    extensions: ['.tif', '.tiff', '.btf', '.tf2', '.tf8'],
    reader: 'built-in',
    note: 'levels as pages (vips tiffsave --pyramid), files over 4 GB as BigTIFF',
  },
  { name: 'Hamamatsu NDPI', extensions: ['.ndpi'], reader: 'openslide' },
  { name: 'Leica SCN', extensions: ['.scn'], reader: 'openslide' },
  { name: 'Ventana BIF', extensions: ['.bif'], reader: 'openslide' },
  { name: 'Sakura SVSlide', extensions: ['.svslide'], reader: 'openslide' },
  {
    name: '3DHISTECH MRXS',
    extensions: ['.mrxs'],
    reader: 'openslide',
    note: 'an index file beside a folder of data files: not imported in this version (convert with vips tiffsave)',
  },
  {
    name: 'Hamamatsu VMS/VMU',
    extensions: ['.vms', '.vmu'],
    reader: 'openslide',
    note: 'an index file beside several JPEGs: not imported in this version (convert with vips tiffsave)',
  },
]

/** Formats made of several files, which the project's single-file blob store cannot hold yet. */
const MULTI_FILE = new Set(['.mrxs', '.vms', '.vmu'])

/** The file's extension as the format list spells it (".ome.tif" before ".tif"). */
export function slideExtension(file: string): string {
  const name = path.basename(file).toLowerCase()
  const ome = /\.ome\.(tiff?|btf|tf2|tf8)$/.exec(name)
  return ome ? ome[0] : path.extname(name)
}

export function slideFormatOf(file: string): SlideFormat | undefined {
  const ext = slideExtension(file)
  return SLIDE_FORMATS.find((f) => f.extensions.includes(ext))
}

/** Stored format ids (images.format) of slides that only OpenSlide reads. */
export function isOpenSlideOnly(format: string): boolean {
  return [
    'ndpi',
    'scn',
    'bif',
    'svslide',
    'leica',
    'ventana',
    'sakura',
    'hamamatsu',
    'mirax',
    'philips',
    'trestle',
  ].includes(format)
}

export function isMultiFileSlide(file: string): boolean {
  return MULTI_FILE.has(slideExtension(file))
}

/** Every extension the importer accepts for slides. */
export const SLIDE_EXTENSIONS: readonly string[] = [...new Set(SLIDE_FORMATS.flatMap((f) => f.extensions))]

/** `s4mi formats`: each format, what reads it, and whether this machine can open it now. */
export function describeSlideFormats(): string[] {
  const os = openSlideStatus()
  const lines = [
    os.available
      ? `OpenSlide ${os.version}: installed (${os.path})`
      : `OpenSlide: not installed — ${os.reason}. Install it (openslide.org; Debian/Ubuntu: apt install libopenslide0) to open NDPI, SCN, BIF and SVSlide files`,
    '',
  ]
  for (const f of SLIDE_FORMATS) {
    const usable = f.reader === 'built-in' || os.available
    const through = f.reader === 'built-in' ? 'built in (libvips)' : 'OpenSlide'
    lines.push(
      `${usable ? '✓' : '✗'} ${f.name} (${f.extensions.join(', ')}) — ${through}${f.note ? `; ${f.note}` : ''}`,
    )
  }
  lines.push('✓ PNG, JPEG and plain TIFF images — built in (libvips)')
  return lines
}
