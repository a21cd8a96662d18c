import type { LabelSource } from '../../shared/types'
import { createSeededRandom } from '../engine/seededRandom'

/** The label fractions the paper reports (segmentation: all five; classification: 10 and 100). */
export const PAPER_LABEL_FRACTIONS = [0.1, 0.3, 0.5, 0.7, 1] as const

export interface LabelledTrainImage {
  id: number
  /** Class ids of the image (segmentation: the classes present in its mask, or [] for "has a mask"). */
  labels: readonly number[]
}

/** FNV-1a over a string: derives one independent seed per stratum from the user's seed. */
function strataSeed(seed: number, key: string): number {
  let h = 0x811c9dc5
  for (const ch of `${seed}|${key}`) {
    h ^= ch.charCodeAt(0)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * The images whose labels are kept at `fraction` (0 < fraction ≤ 1); the other training images count as
 * unlabelled. As in the paper, a kept image keeps all its labels ("x % of the image-label pairs").
 *
 * - Stratified: images are grouped by their label set (the class, in a multi-class project) and each
 *   group keeps round(fraction · size) images. Every class also keeps one representative, so a rare class
 *   is never dropped: the first image of the largest group holding that class (already kept whenever that
 *   group's quota is at least one, so in a multi-class project each class keeps max(1, round(f · n))).
 *   Images without labels form their own group, which keeps at least one image too.
 * - Nested: each group is ordered by one seeded permutation that does not depend on the fraction, a
 *   fraction takes a prefix of it, quotas only grow with the fraction and the representatives are fixed;
 *   so for one seed the 10 % set lies inside the 30 % set, and so on up to 100 %. Curves across fractions
 *   then compare like with like.
 * - Reproducible: same images and seed, same selection, whatever order the images are given in.
 */
export function labelFractionSelection(
  trainImages: readonly LabelledTrainImage[],
  fraction: number,
  seed: number,
): number[] {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`A label fraction must be in (0, 1], got ${fraction}`)
  const strata = new Map<string, { labels: number[]; ids: number[] }>()
  const seen = new Set<number>()
  for (const img of trainImages) {
    if (seen.has(img.id)) throw new Error(`labelFractionSelection was given image ${img.id} twice`)
    seen.add(img.id)
    const labels = [...new Set(img.labels)].sort((a, b) => a - b)
    const key = labels.join(',')
    const stratum = strata.get(key) ?? { labels, ids: [] }
    stratum.ids.push(img.id)
    strata.set(key, stratum)
  }
  const keys = [...strata.keys()].sort()
  const order = new Map<string, number[]>()
  const kept = new Set<number>()
  for (const key of keys) {
    const ids = (strata.get(key) as { ids: number[] }).ids.sort((a, b) => a - b)
    const perm = createSeededRandom(strataSeed(seed, key)).shuffle(ids)
    order.set(key, perm)
    for (const id of perm.slice(0, Math.round(fraction * ids.length))) kept.add(id)
  }
  // Representatives: for each class (and for "no label"), the first image of its largest group.
  const largest = new Map<string, string>()
  for (const key of keys) {
    const { labels, ids } = strata.get(key) as { labels: number[]; ids: number[] }
    for (const c of labels.length ? labels.map(String) : ['']) {
      const best = largest.get(c)
      if (best === undefined || ids.length > (strata.get(best) as { ids: number[] }).ids.length)
        largest.set(c, key)
    }
  }
  for (const key of largest.values()) kept.add((order.get(key) as number[])[0])
  return [...kept].sort((a, b) => a - b)
}

/**
 * "Exactly the images the user has labelled": the training images that carry labels (classification)
 * or a mask (segmentation).
 */
/**
 * Whether an image counts as labelled for a task: image labels (classification) or a mask (segmentation);
 * with 'hand', a mask that came from an accepted prediction ("reviewed") does not count.
 */
export function labelledFor(
  task: 'classification' | 'segmentation',
  img: { labelled: boolean; hasMask: boolean; maskReviewed: boolean },
  source: LabelSource = 'hand',
): boolean {
  if (task === 'classification') return img.labelled
  return img.hasMask && (source === 'reviewed' || !img.maskReviewed)
}

export function userLabelledSelection(
  trainImages: readonly { id: number; labelled: boolean; hasMask: boolean; maskReviewed: boolean }[],
  task: 'classification' | 'segmentation',
  source: LabelSource = 'hand',
): number[] {
  return trainImages
    .filter((i) => labelledFor(task, i, source))
    .map((i) => i.id)
    .sort((a, b) => a - b)
}
