import { DEFAULT_CONFIDENCE, type AcceptMode } from '../../shared/types'

/**
 * What a mask becomes when a prediction is accepted, pixel by pixel, in each mode (one rule for accepting,
 * for the counts the confirmation shows and for the difference view):
 * - 'replace': the prediction, everywhere;
 * - 'fillUnpainted': the prediction where the mask is unpainted (0), the mask elsewhere;
 * - 'confident': the prediction where the model gave its predicted class (background included) at least
 *   `threshold` probability, the mask elsewhere. A confident background erases paint: the confirmation
 *   counts those pixels as removed before anything changes.
 */

/**
 * 8-bit confidence of each pixel's predicted class, from the stored probability maps (round(255·p)): the
 * map of the pixel's class value when the run kept one, else the "any mask class" map (value 0, which is the
 * class's own for a binary mask); background's confidence is 255 minus the "any mask class" map.
 */
export function predictedConfidence(
  prediction: Uint8Array,
  anyClass: Uint8Array,
  byClass: ReadonlyMap<number, Uint8Array>,
): Uint8Array {
  const out = new Uint8Array(prediction.length)
  for (let i = 0; i < prediction.length; i++) {
    const c = prediction[i]
    out[i] = c === 0 ? 255 - anyClass[i] : (byClass.get(c) ?? anyClass)[i]
  }
  return out
}

export function acceptedValues(
  mode: AcceptMode,
  mask: Uint8Array | null,
  prediction: Uint8Array | null,
  n: number,
  confidence: Uint8Array | null = null,
  threshold = DEFAULT_CONFIDENCE,
): Uint8Array {
  const out = mask ? Uint8Array.from(mask) : new Uint8Array(n)
  if (mode === 'confident' && !confidence)
    throw new Error('Accepting only confident pixels needs the probabilities of the prediction')
  // Compared in the maps' own 8-bit steps, so 0.9 means round(255 · 0.9) = 230 and above.
  const cut = Math.round(255 * threshold)
  for (let i = 0; i < n; i++) {
    const p = prediction ? prediction[i] : 0
    if (mode === 'replace') out[i] = p
    else if (mode === 'fillUnpainted') {
      if (out[i] === 0) out[i] = p
    } else if (confidence![i] >= cut) out[i] = p
  }
  return out
}
