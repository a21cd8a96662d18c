import type { SafetensorsEntry, SafetensorsFile } from '../nn/safetensors'
import { loadStateDict, WeightsMismatchError } from '../nn/weights'
import type { LoadOptions, LoadReport } from '../nn/weights'
import { swinNamingOf, withDerivedSwinBuffers } from '../swin/swinWeights'
import type { SwinNaming } from '../swin/swinWeights'
import type { SwinUnet } from './swinUnet'

/**
 * Weights into a Swin-UNet: a whole Swin-UNet checkpoint (Swin-Unet/SSL4MIS names, with or without
 * SSL4MIS's `swin_unet.` wrapper prefix), or only the encoder from a Swin classifier (torchvision,
 * Microsoft or timm names), the way the cross-teaching paper starts from ImageNet Swin-T.
 */

/** Load a full Swin-UNet checkpoint; mismatches throw naming every missing/unexpected/mis-shaped tensor. */
export function loadSwinUnetWeights(
  model: SwinUnet,
  file: SafetensorsFile,
  options: LoadOptions = {},
): LoadReport {
  const names = [...file.tensors.keys()]
  const prefix =
    options.prefix ?? (names.length && names.every((n) => n.startsWith('swin_unet.')) ? 'swin_unet.' : '')
  return loadStateDict(model, withDerivedSwinBuffers(file, model, prefix), { ...options, prefix })
}

/**
 * A Swin classifier tensor name as a Swin-UNet encoder name (`patch_embed`, `layers.i.blocks.j`,
 * `layers.i.downsample`, `norm`), or null for the classification head.
 */
export function swinUnetEncoderName(name: string, naming: SwinNaming): string | null {
  if (/^head\./.test(name)) return null
  const fc = (rest: string) => rest.replace(/^mlp\.0\./, 'mlp.fc1.').replace(/^mlp\.3\./, 'mlp.fc2.')
  if (naming === 'torchvision') {
    if (name.startsWith('features.0.0.')) return name.replace('features.0.0.', 'patch_embed.proj.')
    if (name.startsWith('features.0.2.')) return name.replace('features.0.2.', 'patch_embed.norm.')
    const m = /^features\.(\d+)\.(.*)$/.exec(name)
    if (!m) return name
    const k = Number(m[1])
    if (k % 2 === 1) {
      const [block, ...rest] = m[2].split('.')
      return `layers.${(k - 1) / 2}.blocks.${block}.${fc(rest.join('.'))}`
    }
    return `layers.${k / 2 - 1}.downsample.${m[2]}`
  }
  // timm ≥ 0.9 files the merge that ends stage i under layers.(i+1).
  const merge = /^layers\.(\d+)\.downsample\.(.*)$/.exec(name)
  if (merge && naming === 'timm') return `layers.${Number(merge[1]) - 1}.downsample.${merge[2]}`
  return name
}

export interface EncoderLoadOptions {
  /**
   * Also copy each encoder stage's blocks into the mirrored decoder stage (`layers.i.blocks` →
   * `layers_up.(stages−1−i).blocks`), as SSL4MIS's `load_from` does. Default true.
   */
  mirrorDecoder?: boolean
}

export interface EncoderLoadReport extends LoadReport {
  /** Decoder tensors initialised from their mirrored encoder blocks. */
  mirrored: string[]
  /** File tensors of blocks deeper than this model's stages (Swin-T's stage 3 has 6 blocks, Swin-UNet's 2). */
  skipped: string[]
}

/**
 * Initialise the encoder (and by default the mirrored decoder blocks) from a Swin classifier's
 * weights. Every encoder tensor must be found and fit; only the classification head and blocks
 * beyond this model's depths are left out. The rest of the decoder keeps its initial values.
 */
export function loadSwinUnetEncoder(
  model: SwinUnet,
  file: SafetensorsFile,
  options: EncoderLoadOptions = {},
): EncoderLoadReport {
  const naming = swinNamingOf(file.tensors.keys())
  const ours = model.stateDict()
  const n = model.config.depths.length
  const tensors = new Map<string, SafetensorsEntry>()
  const skipped: string[] = []
  const unexpected: string[] = []
  for (const [fileName, entry] of file.tensors) {
    const name = swinUnetEncoderName(fileName, naming)
    if (name === null) continue
    if (!ours.has(name) && /^layers\.\d+\.blocks\.\d+\./.test(name)) {
      const [, stage, block] = /^layers\.(\d+)\.blocks\.(\d+)\./.exec(name)!
      if (Number(stage) < n && Number(block) >= model.config.depths[Number(stage)]) {
        skipped.push(fileName)
        continue
      }
    }
    if (!ours.has(name) && !name.endsWith('.attn_mask')) unexpected.push(fileName)
    tensors.set(name, { name, dtype: entry.dtype, shape: entry.shape, toFloat32: () => entry.toFloat32() })
  }
  const mirrored: string[] = []
  if (options.mirrorDecoder ?? true) {
    for (const [name, entry] of [...tensors]) {
      const m = /^layers\.(\d+)\.blocks\.(.*)$/.exec(name)
      const target = m ? `layers_up.${n - 1 - Number(m[1])}.blocks.${m[2]}` : null
      if (target && ours.has(target)) {
        tensors.set(target, { ...entry, name: target })
        mirrored.push(target)
      }
    }
  }
  const complete = withDerivedSwinBuffers({ ...file, tensors }, model)
  const encoderNames = [...ours.keys()].filter((k) => /^(patch_embed|layers|norm)\./.test(k))
  const missing = encoderNames.filter((k) => !complete.tensors.has(k))
  if (missing.length || unexpected.length)
    throw new WeightsMismatchError(file.source, missing, unexpected, [])
  const known = new Map([...complete.tensors].filter(([name]) => ours.has(name)))
  const report = loadStateDict(model, { ...complete, tensors: known }, { strict: false })
  return { ...report, mirrored, skipped }
}
