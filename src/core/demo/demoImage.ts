/** One generated picture with its ground truth, before encoding. */
export interface DemoImage {
  width: number
  height: number
  /** Interleaved 8-bit RGB. */
  rgb: Uint8Array
  /** One byte a pixel: the pixel value of its mask class (DEMO_MASK_CLASSES: lesion; cell, vessel, necrosis), 0 background. */
  mask: Uint8Array
  /** Indices into the variant's class list. */
  labels: number[]
}
