/**
 * The most pixels a flat (non-pyramidal) image or mask may claim: 50,000². sharp checks the size its
 * header states before decoding anything, so a 1 MB PNG claiming 100,000² is refused at once instead of
 * tying the importer up for ten minutes (issue #19 item 3). Pyramidal TIFF and OpenSlide slides are read
 * region by region by `slide/` and are exempt; a flat image this large is better converted to one
 * (`vips tiffsave in.png out.tif --tile --pyramid --compression jpeg`).
 */
const MAX_FLAT_IMAGE_SIDE = 50_000
const MAX_FLAT_IMAGE_PIXELS = MAX_FLAT_IMAGE_SIDE ** 2

/** sharp's options for a flat image file or blob whose header the user supplied. */
export const flatImageInput = { limitInputPixels: MAX_FLAT_IMAGE_PIXELS } as const

/** A readable message for sharp's pixel-limit refusal, or null when `e` is something else. */
export function pixelLimitProblem(e: unknown): string | null {
  if (!(e instanceof Error) || !/exceeds pixel limit/i.test(e.message)) return null
  const sideText = MAX_FLAT_IMAGE_SIDE.toLocaleString('en-US')
  return (
    `is larger than ${sideText} × ${sideText} pixels, the most a flat PNG or JPEG may have; ` +
    'save it as a tiled pyramidal TIFF to import it as a whole slide'
  )
}
