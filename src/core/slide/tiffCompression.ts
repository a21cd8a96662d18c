/**
 * TIFF compression schemes by tag value, and which of them the TIFF reader (libtiff inside sharp's libvips)
 * decodes. Slides whose tiles use one it cannot decode are refused with the scheme's name, not a libtiff
 * error. Values: TIFF 6 and the registry of private tags (Aperio's JPEG 2000 variants are 33003/33005).
 */
const NAMES: Record<number, string> = {
  1: 'uncompressed',
  2: 'CCITT RLE',
  3: 'CCITT Group 3',
  4: 'CCITT Group 4',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'Deflate',
  32773: 'PackBits',
  32946: 'Deflate',
  33003: 'JPEG 2000 (Aperio, YCbCr)',
  33004: 'JPEG 2000 (Aperio)',
  33005: 'JPEG 2000 (Aperio, RGB)',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34892: 'lossy JPEG (DNG)',
  34925: 'LZMA',
  50000: 'Zstandard',
  50001: 'WebP',
  50002: 'JPEG XL',
  22610: 'JPEG XR',
}

/** Schemes libtiff does not decode (JPEG 2000 and JPEG XR need OpenSlide or a converter). */
const UNDECODABLE = new Set([33003, 33004, 33005, 34712, 34887, 34892, 22610])

export function compressionName(code: number): string {
  return NAMES[code] ?? `compression ${code}`
}

export function canDecodeCompression(code: number): boolean {
  return !UNDECODABLE.has(code)
}
