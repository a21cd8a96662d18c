/**
 * COCO run-length encoding of a binary mask, with pycocotools' semantics: pixels are read in column-major
 * (Fortran) order, counts alternate background/foreground starting with background (so a mask whose first
 * pixel is set starts with a 0 count), and the compressed form is pycocotools' 6-bit character string with
 * counts after the second stored as differences from the count two before.
 */
export interface CocoRle {
  /** [height, width], as COCO writes it. */
  size: [number, number]
  counts: string
}

/** Counts of a row-major binary test (`isSet(i)` for i = y·width + x) read column by column. */
export function rleCounts(width: number, height: number, isSet: (i: number) => boolean): number[] {
  const counts: number[] = []
  let current = false
  let run = 0
  for (let x = 0; x < width; x++)
    for (let y = 0; y < height; y++) {
      const v = isSet(y * width + x)
      if (v !== current) {
        counts.push(run)
        run = 0
        current = v
      }
      run++
    }
  counts.push(run)
  return counts
}

export function countsToString(counts: readonly number[]): string {
  let s = ''
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]
    if (i > 2) x -= counts[i - 2]
    for (let more = true; more;) {
      let c = x & 0x1f
      x >>= 5
      more = c & 0x10 ? x !== -1 : x !== 0
      if (more) c |= 0x20
      s += String.fromCharCode(c + 48)
    }
  }
  return s
}

export function stringToCounts(s: string): number[] {
  const counts: number[] = []
  let p = 0
  while (p < s.length) {
    let x = 0
    let k = 0
    let more = true
    while (more) {
      if (p >= s.length)
        throw new Error(`COCO RLE string ends inside a count: ${JSON.stringify(s.slice(0, 40))}`)
      const c = s.charCodeAt(p) - 48
      if (c < 0 || c > 63) throw new Error(`COCO RLE string has a bad character at ${p}`)
      x |= (c & 0x1f) << (5 * k)
      more = (c & 0x20) !== 0
      p++
      k++
      if (!more && c & 0x10) x |= -1 << (5 * k)
    }
    if (counts.length > 2) x += counts[counts.length - 2]
    counts.push(x)
  }
  return counts
}

export function encodeRle(width: number, height: number, isSet: (i: number) => boolean): CocoRle {
  return { size: [height, width], counts: countsToString(rleCounts(width, height, isSet)) }
}

/** Decodes to a row-major 0/1 array; the counts must cover exactly height × width pixels. */
export function decodeRle(rle: CocoRle): Uint8Array {
  const [height, width] = rle.size
  if (!Number.isSafeInteger(height) || !Number.isSafeInteger(width) || height < 0 || width < 0)
    throw new Error(`COCO RLE size must be [height, width] in whole pixels`)
  const raw: unknown = rle.counts
  if (typeof raw !== 'string' && !Array.isArray(raw))
    throw new Error('COCO RLE counts must be a string or an array of numbers')
  const counts: unknown[] = typeof raw === 'string' ? stringToCounts(raw) : raw
  // A negative count would let the runs add up to the size while one of them runs past it.
  const bad = counts.findIndex((n) => !Number.isSafeInteger(n) || (n as number) < 0)
  if (bad >= 0) throw new Error(`COCO RLE count ${bad} is not a whole number of pixels ≥ 0`)
  const runs = counts as number[]
  const total = runs.reduce((a, b) => a + b, 0)
  if (total !== width * height)
    throw new Error(`COCO RLE covers ${total} pixels but its size is ${height}×${width} = ${width * height}`)
  const out = new Uint8Array(width * height)
  let i = 0
  runs.forEach((n, k) => {
    if (k % 2 === 1)
      for (let j = i; j < i + n; j++) {
        const x = Math.floor(j / height)
        const y = j % height
        out[y * width + x] = 1
      }
    i += n
  })
  return out
}
