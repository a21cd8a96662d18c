import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp, { type OverlayOptions } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CLASSES, DEMO_MASK_CLASSES, HISTOLOGY_MASK } from './demoClasses'
import type { DemoImage } from './demoImage'
import {
  DEMO_SLIDE_SIZE,
  generateDemoDataset,
  planDemoDataset,
  renderDemoDataset,
  type DemoImagePlan,
} from './generateDemoDataset'

const dirs: string[] = []
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-demo-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const sub of ['images', 'masks']) {
    for (const f of fs.readdirSync(path.join(dir, sub)).sort())
      out.set(`${sub}/${f}`, fs.readFileSync(path.join(dir, sub, f)))
  }
  out.set('labels.csv', fs.readFileSync(path.join(dir, 'labels.csv')))
  return out
}

type Rendered = { plan: DemoImagePlan; image: DemoImage }[]

/** Pixel colour in [0, 1]. */
function rgbAt(img: DemoImage, i: number): [number, number, number] {
  return [img.rgb[3 * i] / 255, img.rgb[3 * i + 1] / 255, img.rgb[3 * i + 2] / 255]
}

function luminance([r, g, b]: [number, number, number]): number {
  return 0.299 * r + 0.587 * g + 0.114 * b
}

/** Logistic regression of foreground on pixel colour, by full-batch gradient descent on a pixel sample. */
function fitColourLogistic(train: Rendered): number[] {
  const xs: number[] = []
  const ys: number[] = []
  for (const { image } of train) {
    for (let i = 0; i < image.mask.length; i += 53) {
      xs.push(image.rgb[3 * i] / 255, image.rgb[3 * i + 1] / 255, image.rgb[3 * i + 2] / 255)
      ys.push(image.mask[i] ? 1 : 0)
    }
  }
  const w = [0, 0, 0, 0]
  for (let it = 0; it < 300; it++) {
    const grad = [0, 0, 0, 0]
    for (let n = 0; n < ys.length; n++) {
      const r = xs[3 * n]
      const g = xs[3 * n + 1]
      const b = xs[3 * n + 2]
      const err = 1 / (1 + Math.exp(-(w[0] * r + w[1] * g + w[2] * b + w[3]))) - ys[n]
      grad[0] += err * r
      grad[1] += err * g
      grad[2] += err * b
      grad[3] += err
    }
    for (let j = 0; j < 4; j++) w[j] -= (20 * grad[j]) / ys.length
  }
  return w
}

/** Squared colour distance of pixel `i` (0..255 RGB) to a centre. */
function dist2(rgb: Uint8Array, i: number, m: number[]): number {
  const dr = rgb[3 * i] - m[0]
  const dg = rgb[3 * i + 1] - m[1]
  const db = rgb[3 * i + 2] - m[2]
  return dr * dr + dg * dg + db * db
}

/** Two-means on pixel colour from a few starts; the lowest within-cluster error wins, as k-means restarts do. */
function kMeans2(images: Rendered): number[][] {
  const pixels: number[] = []
  for (const { image } of images)
    for (let i = 0; i < image.mask.length; i += 31) pixels.push(...image.rgb.subarray(3 * i, 3 * i + 3))
  const xs = Uint8Array.from(pixels)
  const n = xs.length / 3
  let best = { sse: Infinity, centres: [] as number[][] }
  for (let start = 1; start <= 4; start++) {
    let centres = [0, 1].map((k) => {
      const i = (start * 7919 + k * 104729) % n
      return [xs[3 * i], xs[3 * i + 1], xs[3 * i + 2]]
    })
    let sse = 0
    for (let it = 0; it < 25; it++) {
      const sums = [new Float64Array(4), new Float64Array(4)]
      sse = 0
      for (let i = 0; i < n; i++) {
        const d0 = dist2(xs, i, centres[0])
        const d1 = dist2(xs, i, centres[1])
        const k = d0 <= d1 ? 0 : 1
        sse += Math.min(d0, d1)
        for (let j = 0; j < 3; j++) sums[k][j] += xs[3 * i + j]
        sums[k][3]++
      }
      centres = sums.map((v, k) => (v[3] ? [v[0] / v[3], v[1] / v[3], v[2] / v[3]] : centres[k]))
    }
    if (sse < best.sse) best = { sse, centres }
  }
  return best.centres
}

/** Foreground IoU over a set of images, pooled, of a per-pixel rule. */
function pooledIou(images: Rendered, predict: (img: DemoImage, i: number) => boolean): number {
  let inter = 0
  let union = 0
  for (const { image } of images) {
    for (let i = 0; i < image.mask.length; i++) {
      const p = predict(image, i)
      const t = image.mask[i] > 0
      if (p && t) inter++
      if (p || t) union++
    }
  }
  return union === 0 ? 1 : inter / union
}

/** The threshold on a statistic that best separates the positives of the training half. */
function fitThreshold(values: number[], truth: boolean[]): number {
  const candidates = [...values].sort((a, b) => a - b)
  let best = { t: 0, correct: -1 }
  for (let k = 0; k < candidates.length; k++) {
    const t = k + 1 < candidates.length ? (candidates[k] + candidates[k + 1]) / 2 : candidates[k] + 1
    const correct = values.filter((v, i) => v > t === truth[i]).length
    if (correct > best.correct) best = { t, correct }
  }
  return best.t
}

let multiClass: Rendered
let multiLabel: Rendered
/** The H&E fields with only their `cell` mask class as foreground: what the binary checks below look at. */
let cells: Rendered
beforeAll(() => {
  multiClass = [...renderDemoDataset({ seed: 11, variant: 'multi-class', count: 24 })]
  multiLabel = [...renderDemoDataset({ seed: 11, variant: 'multi-label', count: 24, slides: 0 })]
  cells = multiLabel.map(({ plan, image }) => ({
    plan,
    image: { ...image, mask: image.mask.map((v) => (v === HISTOLOGY_MASK.cell ? 1 : 0)) },
  }))
})

describe('demo dataset files', () => {
  it('are byte-identical for a seed and differ for another seed', async () => {
    // One slide-sized image in the pair that must match; the other seed only needs different pixels.
    const opts = { variant: 'multi-label' as const, count: 3, slides: 1 }
    const a = tmp()
    const b = tmp()
    const c = tmp()
    await generateDemoDataset(a, { seed: 5, ...opts })
    await generateDemoDataset(b, { seed: 5, ...opts })
    await generateDemoDataset(c, { seed: 6, ...opts, slides: 0 })
    const fa = filesOf(a)
    expect([...fa.keys()].length).toBe(7)
    const fb = filesOf(b)
    expect([...fb.keys()]).toEqual([...fa.keys()])
    // Buffer.equals, not toEqual: a deep compare of megabyte buffers byte by byte takes minutes.
    for (const [name, bytes] of fa) expect(fb.get(name)?.equals(bytes), name).toBe(true)
    const fc = filesOf(c)
    for (const [name, bytes] of fa) {
      if (name.startsWith('images/')) expect(fc.get(name)?.equals(bytes), name).toBe(false)
    }
  })

  it('writes mask_classes.csv naming each mask value and the labels that show it', async () => {
    const dir = tmp()
    await generateDemoDataset(dir, { seed: 3, variant: 'multi-label', count: 4, slides: 0 })
    expect(fs.readFileSync(path.join(dir, 'mask_classes.csv'), 'utf8')).toBe(
      'value,name,labels\n1,cell,inflammation\n2,vessel,vessel\n3,necrosis,necrosis\n',
    )
    for (const f of fs.readdirSync(path.join(dir, 'masks'))) {
      const { data } = await sharp(path.join(dir, 'masks', f))
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true })
      expect(
        [...new Set(data)].every((v) => v <= 3),
        f,
      ).toBe(true)
    }
  })

  it('are PNGs of the planned size, masks single-channel 0/255, labels.csv one 0/1 column per class', async () => {
    const dir = tmp()
    const summary = await generateDemoDataset(dir, { seed: 3, variant: 'multi-class', count: 4 })
    expect(fs.readFileSync(path.join(dir, 'mask_classes.csv'), 'utf8')).toBe(
      'value,name,labels\n1,lesion,nevus;melanoma;keratosis\n',
    )
    const csv = fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n')
    expect(csv[0]).toBe('image,nevus,melanoma,keratosis')
    expect(csv).toHaveLength(5)
    for (const [k, plan] of summary.images.entries()) {
      const row = csv[k + 1].split(',')
      expect(row[0]).toBe(`${plan.name}.png`)
      expect(row.slice(1).map(Number)).toEqual([0, 1, 2].map((c) => (plan.labels.includes(c) ? 1 : 0)))
      const meta = await sharp(path.join(dir, 'images', `${plan.name}.png`)).metadata()
      expect([meta.format, meta.width, meta.height, meta.channels]).toEqual([
        'png',
        plan.width,
        plan.height,
        3,
      ])
      const m = await sharp(path.join(dir, 'masks', `${plan.name}.png`)).metadata()
      expect([m.width, m.height, m.channels]).toEqual([plan.width, plan.height, 1])
      const { data } = await sharp(path.join(dir, 'masks', `${plan.name}.png`))
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true })
      expect(new Set(data)).toEqual(new Set([0, 255]))
    }
  })

  it('refuses a non-empty folder and bad options, naming the field', async () => {
    const dir = tmp()
    fs.writeFileSync(path.join(dir, 'x'), 'x')
    await expect(generateDemoDataset(dir, { seed: 1, variant: 'multi-class', count: 2 })).rejects.toThrow(
      /not an empty folder/,
    )
    const bad = { seed: 1, variant: 'multi-class' as const, count: 2 }
    expect(() => planDemoDataset({ ...bad, variant: 'binary' as never })).toThrow(/variant/)
    expect(() => planDemoDataset({ ...bad, count: 0 })).toThrow(/count/)
    expect(() => planDemoDataset({ ...bad, count: 2.5 })).toThrow(/count/)
    expect(() => planDemoDataset({ ...bad, seed: -1 })).toThrow(/seed/)
    expect(() => planDemoDataset({ ...bad, slides: 1 })).toThrow(/slides/)
  })
})

describe('demo labels', () => {
  it('multi-class: exactly one label per image, classes balanced', () => {
    const plans = planDemoDataset({ seed: 2, variant: 'multi-class', count: 36 })
    expect(plans.every((p) => p.labels.length === 1)).toBe(true)
    const counts = [0, 1, 2].map((c) => plans.filter((p) => p.labels[0] === c).length)
    expect(counts).toEqual([12, 12, 12])
    expect(
      plans.every((p) => p.width >= 256 && p.width <= 512 && p.height >= 256 && p.height <= p.width),
    ).toBe(true)
  })

  it('multi-label: labels co-occur, every combination appears, each class in about half; two slides', () => {
    const plans = planDemoDataset({ seed: 2, variant: 'multi-label', count: 36 })
    const combos = new Set(plans.map((p) => p.labels.join('+')))
    expect(combos.size).toBe(8)
    expect(plans.filter((p) => p.labels.length >= 2).length).toBeGreaterThanOrEqual(8)
    for (let c = 0; c < 3; c++) {
      const n = plans.filter((p) => p.labels.includes(c)).length
      expect(n).toBeGreaterThanOrEqual(16)
      expect(n).toBeLessThanOrEqual(20)
    }
    const slides = plans.filter(
      (p) => p.width === DEMO_SLIDE_SIZE.width && p.height === DEMO_SLIDE_SIZE.height,
    )
    expect(slides).toHaveLength(2)
    expect(new Set(plans.map((p) => p.name)).size).toBe(36)
  })

  it('depend on the seed only', () => {
    const a = planDemoDataset({ seed: 9, variant: 'multi-label', count: 20 })
    expect(planDemoDataset({ seed: 9, variant: 'multi-label', count: 20 })).toEqual(a)
    expect(planDemoDataset({ seed: 10, variant: 'multi-label', count: 20 })).not.toEqual(a)
  })
})

describe('demo masks', () => {
  it('multi-class: one lesion per image, a sensible share of the image, darker than the skin', () => {
    for (const { plan, image } of multiClass) {
      const n = image.width * image.height
      const fg = image.mask.reduce((a, v) => a + (v ? 1 : 0), 0) / n
      expect(fg, plan.name).toBeGreaterThan(0.03)
      expect(fg, plan.name).toBeLessThan(0.4)
      expect(connectedComponents(image.mask, image.width, image.height), plan.name).toBe(1)
      const [inside, outside] = meanLuminance(image)
      expect(inside, plan.name).toBeLessThan(outside - 0.1)
    }
  })

  it('multi-label: the mask says what each pixel is, and a finding’s mask class appears only with its label', () => {
    const [vessel, necrosis] = [1, 2]
    for (const { plan, image } of multiLabel) {
      const count = [0, 0, 0, 0]
      for (const v of image.mask) count[v]++
      const share = count.map((n) => n / image.mask.length)
      // Every field has cells; vessels and necrosis are masked exactly where the image is labelled so.
      expect(share[HISTOLOGY_MASK.cell], plan.name).toBeGreaterThan(0.005)
      expect(share[HISTOLOGY_MASK.vessel] > 0, plan.name).toBe(plan.labels.includes(vessel))
      expect(share[HISTOLOGY_MASK.necrosis] > 0.01, plan.name).toBe(plan.labels.includes(necrosis))
      expect(share[HISTOLOGY_MASK.necrosis] > 0, plan.name).toBe(plan.labels.includes(necrosis))
    }
    expect(DEMO_MASK_CLASSES['multi-label']).toEqual(['cell', 'vessel', 'necrosis'])
  })

  it('multi-label: cells cover a small share, more with inflammation, and are darker than the tissue', () => {
    for (const { plan, image } of cells) {
      const fg = image.mask.reduce((a, v) => a + (v ? 1 : 0), 0) / (image.width * image.height)
      expect(fg, plan.name).toBeGreaterThan(plan.labels.includes(0) ? 0.04 : 0.005)
      expect(fg, plan.name).toBeLessThan(plan.labels.includes(0) ? 0.2 : 0.05)
      expect(connectedComponents(image.mask, image.width, image.height), plan.name).toBeGreaterThanOrEqual(4)
      const [inside, outside] = meanLuminance(image)
      expect(inside, plan.name).toBeLessThan(outside - 0.25)
    }
  })
})

function meanLuminance(image: DemoImage): [number, number] {
  const sum = [0, 0]
  const n = [0, 0]
  for (let i = 0; i < image.mask.length; i++) {
    const k = image.mask[i] ? 0 : 1
    sum[k] += luminance(rgbAt(image, i))
    n[k]++
  }
  return [sum[0] / n[0], sum[1] / n[1]]
}

function connectedComponents(mask: Uint8Array, width: number, height: number): number {
  const seen = new Uint8Array(mask.length)
  let count = 0
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue
    count++
    const stack = [start]
    seen[start] = 1
    while (stack.length) {
      const i = stack.pop() as number
      const x = i % width
      const y = (i - x) / width
      for (const [nx, ny] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ]) {
        const j = ny * width + nx
        if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[j] && !seen[j]) {
          seen[j] = 1
          stack.push(j)
        }
      }
    }
  }
  return count
}

describe('demo ground truth is learnable but not trivial', () => {
  for (const variant of ['multi-class', 'multi-label'] as const) {
    it(`${variant}: a colour-only logistic regression beats all-foreground by far, yet stays short of perfect`, () => {
      const data = variant === 'multi-class' ? multiClass : cells
      const train = data.slice(0, 12)
      const test = data.slice(12)
      const w = fitColourLogistic(train)
      const iou = pooledIou(test, (img, i) => {
        const [r, g, b] = rgbAt(img, i)
        return w[0] * r + w[1] * g + w[2] * b + w[3] > 0
      })
      const allForeground = pooledIou(test, () => true)
      const allBackground = pooledIou(test, () => false)
      expect(allBackground).toBe(0)
      expect(allForeground).toBeLessThan(0.2)
      expect(iou).toBeGreaterThan(allForeground + 0.45)
      expect(iou).toBeLessThan(0.95)
    })
  }

  for (const variant of ['multi-class', 'multi-label'] as const) {
    it(`${variant}: two-means on pixel colour splits foreground from background (PiCIE's K = 2)`, () => {
      const data = variant === 'multi-class' ? multiClass : cells
      const centres = kMeans2(data.slice(0, 12))
      const test = data.slice(12)
      const cluster = (img: DemoImage, i: number): number =>
        dist2(img.rgb, i, centres[0]) <= dist2(img.rgb, i, centres[1]) ? 0 : 1
      // Clusters are unnamed: map them to classes the way PiCIE's evaluation does, by the better match.
      const iou = Math.max(...[0, 1].map((k) => pooledIou(test, (img, i) => cluster(img, i) === k)))
      expect(iou).toBeGreaterThan(pooledIou(test, () => true) + 0.4)
    })
  }

  it('multi-class: the diagnosis follows from the lesion colour and elongation (nearest centroid)', () => {
    const features = multiClass.map(({ image }) => lesionFeatures(image))
    const truth = multiClass.map(({ plan }) => plan.labels[0])
    const centroids = [0, 1, 2].map((c) => {
      const f = features.slice(0, 12).filter((_, i) => truth[i] === c)
      return [0, 1].map((j) => f.reduce((a, v) => a + v[j], 0) / f.length)
    })
    let correct = 0
    for (let i = 12; i < 24; i++) {
      const d = centroids.map((m) => Math.hypot(m[0] - features[i][0], (m[1] - features[i][1]) / 5))
      if (d.indexOf(Math.min(...d)) === truth[i]) correct++
    }
    expect(correct).toBeGreaterThanOrEqual(11)
  })

  it('multi-label: each finding follows from one colour statistic with a threshold fitted on the other half', () => {
    // inflammation: dark nuclei; vessel: red wall and red cells; necrosis: orange-pink, unlike the bluish-pink
    // stroma and the white gaps.
    const statistics = multiLabel.map(({ image }) => {
      const n = [0, 0, 0]
      for (let i = 0; i < image.mask.length; i++) {
        const [r, g, b] = rgbAt(image, i)
        if (luminance([r, g, b]) < 0.4) n[0]++
        if (r - g > 0.42) n[1]++
        else if (r - g > 0.22 && b - g < 0.05) n[2]++
      }
      return n.map((v) => v / image.mask.length)
    })
    DEMO_CLASSES['multi-label'].forEach(({ name }, c) => {
      const values = statistics.map((v) => v[c])
      const truth = multiLabel.map(({ plan }) => plan.labels.includes(c))
      const t = fitThreshold(values.slice(0, 12), truth.slice(0, 12))
      const correct = values.slice(12).filter((v, i) => v > t === truth[12 + i]).length
      expect(correct, name).toBeGreaterThanOrEqual(11)
    })
  })

  it('leaves a contact sheet of images with mask outlines in test-output/', async () => {
    const file = path.resolve('test-output/demo-contact-sheet.png')
    await writeContactSheet(file, [...multiClass.slice(0, 4), ...multiLabel.slice(0, 4)])
    const meta = await sharp(file).metadata()
    expect([meta.width, meta.height]).toEqual([4 * PANEL, 4 * PANEL])
  })
})

/** Mean foreground luminance, and elongation (major/minor axis from the mask's second moments). */
function lesionFeatures(image: DemoImage): [number, number] {
  let n = 0
  let lum = 0
  let mx = 0
  let my = 0
  for (let i = 0; i < image.mask.length; i++) {
    if (!image.mask[i]) continue
    n++
    lum += luminance(rgbAt(image, i))
    mx += i % image.width
    my += Math.floor(i / image.width)
  }
  mx /= n
  my /= n
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let i = 0; i < image.mask.length; i++) {
    if (!image.mask[i]) continue
    const dx = (i % image.width) - mx
    const dy = Math.floor(i / image.width) - my
    sxx += dx * dx
    syy += dy * dy
    sxy += dx * dy
  }
  const tr = (sxx + syy) / 2
  const root = Math.sqrt(tr * tr - (sxx * syy - sxy * sxy))
  return [lum / n, Math.sqrt((tr + root) / (tr - root))]
}

const PANEL = 256

/** Two rows per variant: the images, then the same with the mask tinted and outlined in green. */
async function writeContactSheet(file: string, items: Rendered): Promise<void> {
  const layers: OverlayOptions[] = []
  for (const [k, { image }] of items.entries()) {
    const fit = { width: PANEL, height: PANEL, fit: 'contain' as const, background: '#000000' }
    const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } }
    const pic = await sharp(image.rgb, raw).resize(fit).raw().toBuffer()
    const mask = await sharp(image.mask, { raw: { width: image.width, height: image.height, channels: 1 } })
      .resize({ ...fit, kernel: 'nearest' })
      .extractChannel(0)
      .raw()
      .toBuffer()
    const over = Buffer.from(pic)
    for (let y = 0; y < PANEL; y++) {
      for (let x = 0; x < PANEL; x++) {
        const i = y * PANEL + x
        if (!mask[i]) continue
        const edge = [i - 1, i + 1, i - PANEL, i + PANEL].some((j) => j < 0 || j >= mask.length || !mask[j])
        const a = edge ? 1 : 0.3
        over[3 * i] *= 1 - a
        over[3 * i + 1] = over[3 * i + 1] * (1 - a) + 255 * a
        over[3 * i + 2] *= 1 - a
      }
    }
    const col = k % 4
    const row = Math.floor(k / 4) * 2
    const panel = { raw: { width: PANEL, height: PANEL, channels: 3 as const } }
    layers.push({ input: pic, ...panel, left: col * PANEL, top: row * PANEL })
    layers.push({ input: over, ...panel, left: col * PANEL, top: (row + 1) * PANEL })
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  await sharp({ create: { width: 4 * PANEL, height: 4 * PANEL, channels: 3, background: '#202020' } })
    .composite(layers)
    .png()
    .toFile(file)
}
