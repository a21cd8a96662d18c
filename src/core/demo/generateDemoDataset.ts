import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { DEMO_CLASSES, DEMO_MASK_CLASSES, isDemoVariant, type DemoVariant } from './demoClasses'
import type { DemoImage } from './demoImage'
import { DemoRandom } from './demoRandom'
import { dermoscopyImage } from './dermoscopyImage'
import { histologyImage } from './histologyImage'

export const DEMO_DEFAULT_COUNT = 36
export const DEMO_DEFAULT_SEED = 1234
export const DEMO_MAX_COUNT = 2000
/** Seeds are 32-bit, like the engine's. */
const MAX_SEED = 4294967295
/** Slide-sized fields like the Dermatomyositis originals: tiling them at 480 px gives 3 × 4 = 12 tiles. */
export const DEMO_SLIDE_SIZE = { width: 1876, height: 1408 }
/** The modest multi-label field, the size S4MI's Dermatomyositis samples were used at. */
export const DEMO_FIELD_SIZE = { width: 469, height: 352 }

export interface DemoDatasetOptions {
  seed: number
  variant: DemoVariant
  count: number
  /** Slide-sized images among `count` (multi-label only). Default: 2 from 24 images up, 1 from 12. */
  slides?: number
}

export interface DemoImagePlan {
  /** File name without extension. */
  name: string
  width: number
  height: number
  /** Class indices into DEMO_CLASSES[variant]. */
  labels: number[]
}

export interface DemoProgress {
  done: number
  total: number
  name: string
}

export interface DemoGenerateHooks {
  onProgress?(p: DemoProgress): void
  /** Checked between images; on abort the folder is left partly written and the signal's reason thrown. */
  signal?: AbortSignal
}

export interface DemoDatasetSummary {
  dir: string
  variant: DemoVariant
  classes: string[]
  maskClasses: string[]
  images: DemoImagePlan[]
}

export function validateDemoOptions(opts: DemoDatasetOptions): Required<DemoDatasetOptions> {
  if (!isDemoVariant(opts.variant)) {
    throw new Error(`variant must be 'multi-class' or 'multi-label', got '${String(opts.variant)}'`)
  }
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > MAX_SEED) {
    throw new Error(`seed must be an integer from 0 to ${MAX_SEED}, got ${String(opts.seed)}`)
  }
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > DEMO_MAX_COUNT) {
    throw new Error(`count must be an integer from 1 to ${DEMO_MAX_COUNT}, got ${String(opts.count)}`)
  }
  const defaultSlides = opts.variant === 'multi-label' ? Math.min(2, Math.floor(opts.count / 12)) : 0
  const slides = opts.slides ?? defaultSlides
  if (!Number.isInteger(slides) || slides < 0 || slides > opts.count) {
    throw new Error(`slides must be an integer from 0 to count (${opts.count}), got ${String(slides)}`)
  }
  if (slides > 0 && opts.variant !== 'multi-label')
    throw new Error('slides are only made in the multi-label variant')
  return { ...opts, slides }
}

/**
 * Names, sizes and labels of every image, cheap and without pixels. Classes are dealt round-robin and
 * then shuffled, so multi-class counts differ by at most one and every multi-label combination
 * (including none) occurs about equally often.
 */
export function planDemoDataset(options: DemoDatasetOptions): DemoImagePlan[] {
  const opts = validateDemoOptions(options)
  const rng = demoStreams(opts.seed, 0).plan
  const digits = Math.max(3, String(opts.count).length)
  const ids = Array.from({ length: opts.count }, (_, i) => i)
  if (opts.variant === 'multi-class') {
    const classes = rng.shuffle(ids.map((i) => i % DEMO_CLASSES['multi-class'].length))
    return ids.map((i) => {
      const width = 8 * rng.int(40, 64)
      const height = Math.min(width, 8 * rng.int(32, 56))
      return { name: `demo-${String(i + 1).padStart(digits, '0')}`, width, height, labels: [classes[i]] }
    })
  }
  const classCount = DEMO_CLASSES['multi-label'].length
  const combos = rng.shuffle(ids.map((i) => i % (1 << classCount)))
  const slides = new Set(rng.shuffle(ids).slice(0, opts.slides))
  return ids.map((i) => {
    const size = slides.has(i) ? DEMO_SLIDE_SIZE : DEMO_FIELD_SIZE
    const labels = Array.from({ length: classCount }, (_, c) => c).filter((c) => combos[i] & (1 << c))
    return { name: `demo-${String(i + 1).padStart(digits, '0')}`, ...size, labels }
  })
}

/** The random streams of a dataset: one for the plan, then one per image. */
function demoStreams(seed: number, count: number): { plan: DemoRandom; images: DemoRandom[] } {
  const root = DemoRandom.fromSeed(seed)
  const plan = root.fork()
  return { plan, images: Array.from({ length: count }, () => root.fork()) }
}

/**
 * Paints the planned images one at a time (a slide is tens of megabytes as floats). Each image has its
 * own random stream, so it does not depend on how the others were drawn.
 */
export function* renderDemoDataset(
  options: DemoDatasetOptions,
): Generator<{ plan: DemoImagePlan; image: DemoImage }> {
  const opts = validateDemoOptions(options)
  const plans = planDemoDataset(opts)
  const streams = demoStreams(opts.seed, plans.length).images
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]
    const rng = streams[i]
    const image =
      opts.variant === 'multi-class'
        ? dermoscopyImage(rng, plan.labels[0], plan.width, plan.height)
        : histologyImage(rng, plan.labels, plan.width, plan.height)
    yield { plan, image }
  }
}

export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer()
}

/**
 * Single-channel PNG, as the folder importer and most mask tools expect: 0/255 for a one-class (binary) mask,
 * as ISIC ships its lesions, class values 0, 1, 2 … otherwise.
 */
export function encodeMaskPng(
  mask: Uint8Array,
  width: number,
  height: number,
  maskClassCount = 1,
): Promise<Buffer> {
  const values = maskClassCount === 1 ? mask.map((v) => (v ? 255 : 0)) : mask
  return sharp(values, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer()
}

/** labels.csv: a header `image,<class…>` and one 0/1 column per class. */
export function labelsCsv(variant: DemoVariant, plans: DemoImagePlan[]): string {
  const classes = DEMO_CLASSES[variant].map((c) => c.name)
  const rows = plans.map((p) => [
    `${p.name}.png`,
    ...classes.map((_, c) => (p.labels.includes(c) ? '1' : '0')),
  ])
  return [['image', ...classes], ...rows].map((r) => r.join(',')).join('\n') + '\n'
}

/** mask_classes.csv: `value,name,labels` — what each mask value is and which image labels show it. */
export function maskClassesCsv(variant: DemoVariant): string {
  const rows = DEMO_MASK_CLASSES[variant].map((name, i) => [
    String(i + 1),
    name,
    DEMO_CLASSES[variant]
      .filter((c) => c.maskClass === name)
      .map((c) => c.name)
      .join(';'),
  ])
  return [['value', 'name', 'labels'], ...rows].map((r) => r.join(',')).join('\n') + '\n'
}

/**
 * Writes a synthetic dataset in the folder layout the folder importer reads: images/NAME.png,
 * masks/NAME.png (0/255 lesions; class values for the H&E classes), mask_classes.csv and labels.csv. Same
 * options, same bytes. Refuses a non-empty folder.
 */
export async function generateDemoDataset(
  outDir: string,
  options: DemoDatasetOptions,
  hooks: DemoGenerateHooks = {},
): Promise<DemoDatasetSummary> {
  const opts = validateDemoOptions(options)
  if (fs.existsSync(outDir) && (!fs.statSync(outDir).isDirectory() || fs.readdirSync(outDir).length > 0)) {
    throw new Error(`${outDir} is not an empty folder: choose a new or empty folder for the demo dataset`)
  }
  const plans = planDemoDataset(opts)
  fs.mkdirSync(path.join(outDir, 'images'), { recursive: true })
  fs.mkdirSync(path.join(outDir, 'masks'), { recursive: true })
  const writes: Promise<void>[] = []
  // The first failed write; caught at once so a pending rejection is never left unhandled.
  let failure: { error: unknown } | null = null
  let done = 0
  for (const { plan, image: img } of renderDemoDataset(opts)) {
    if (hooks.signal?.aborted || failure) break
    // Painting is synchronous; encoding runs on sharp's threads while the next image is painted.
    writes.push(
      Promise.all([
        encodeRgbPng(img.rgb, img.width, img.height),
        encodeMaskPng(img.mask, img.width, img.height, DEMO_MASK_CLASSES[opts.variant].length),
      ])
        .then(([png, maskPng]) => {
          fs.writeFileSync(path.join(outDir, 'images', `${plan.name}.png`), png)
          fs.writeFileSync(path.join(outDir, 'masks', `${plan.name}.png`), maskPng)
          hooks.onProgress?.({ done: ++done, total: plans.length, name: plan.name })
        })
        .catch((error: unknown) => {
          failure ??= { error }
        }),
    )
    // Let finished encodes report progress between paintings.
    await new Promise((resolve) => setImmediate(resolve))
  }
  await Promise.all(writes)
  if (failure) throw (failure as { error: unknown }).error
  hooks.signal?.throwIfAborted()
  fs.writeFileSync(path.join(outDir, 'labels.csv'), labelsCsv(opts.variant, plans))
  fs.writeFileSync(path.join(outDir, 'mask_classes.csv'), maskClassesCsv(opts.variant))
  return {
    dir: path.resolve(outDir),
    variant: opts.variant,
    classes: DEMO_CLASSES[opts.variant].map((c) => c.name),
    maskClasses: DEMO_MASK_CLASSES[opts.variant],
    images: plans,
  }
}
