/**
 * SSL4MIS's TwoStreamBatchSampler: each batch is a chunk of the labelled (primary) indices, shuffled
 * once per epoch, followed by a chunk of the unlabelled (secondary) indices drawn from an endless
 * sequence of shuffles. An epoch ends when the labelled stream runs out; an incomplete last chunk is
 * dropped (Python's grouper does the same).
 */

export interface TwoStreamBatch {
  labelled: number[]
  unlabelled: number[]
}

export interface TwoStreamComposition {
  labelledPerBatch: number
  unlabelledPerBatch: number
}

/** The paper's batch of 16: 8 + 8, and 15 + 1 when every image is labelled. */
export function paperComposition(allLabelled: boolean): TwoStreamComposition {
  return allLabelled
    ? { labelledPerBatch: 15, unlabelledPerBatch: 1 }
    : { labelledPerBatch: 8, unlabelledPerBatch: 8 }
}

function shuffled(items: number[], random: () => number): number[] {
  const a = [...items]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}

/** Draws the next index; `state`/`restore` carry the current pass and position across a resume. */
export interface ShuffleStream {
  (): number
  /** [position, ...current pass]. */
  state(): number[]
  restore(state: readonly number[]): void
}

/** An endless stream of shuffles; keep one across epochs so the unlabelled order carries on. */
export function endlessShuffle(items: number[], random: () => number): ShuffleStream {
  if (items.length === 0) throw new Error('Cannot draw from an empty image list')
  let pass: number[] = []
  let at = 0
  const draw = () => {
    if (at === pass.length) {
      pass = shuffled(items, random)
      at = 0
    }
    return pass[at++]
  }
  return Object.assign(draw, {
    state: () => [at, ...pass],
    restore(state: readonly number[]) {
      const [position, ...saved] = state
      if (!(position >= 0 && position <= saved.length) || saved.some((i) => !items.includes(i)))
        throw new Error('The saved unlabelled order does not match these images')
      at = position
      pass = saved
    },
  })
}

/**
 * One epoch of batches. With every image labelled (100 %) there is no unlabelled pool, so the second
 * stream draws from the labelled images with their labels ignored, as the paper's 15 + 1 implies.
 */
export function twoStreamBatches(
  labelled: number[],
  unlabelledStream: () => number,
  composition: TwoStreamComposition,
  random: () => number,
): TwoStreamBatch[] {
  const { labelledPerBatch, unlabelledPerBatch } = composition
  if (labelled.length < labelledPerBatch) {
    throw new Error(
      `labelledPerBatch is ${labelledPerBatch} but only ${labelled.length} labelled images are available: ` +
        'label more images, raise the label fraction, or use a smaller batch',
    )
  }
  const order = shuffled(labelled, random)
  const batches: TwoStreamBatch[] = []
  for (let start = 0; start + labelledPerBatch <= order.length; start += labelledPerBatch) {
    batches.push({
      labelled: order.slice(start, start + labelledPerBatch),
      unlabelled: Array.from({ length: unlabelledPerBatch }, unlabelledStream),
    })
  }
  return batches
}
