import * as tf from '@tensorflow/tfjs'
import type { SafetensorsEntry, SafetensorsFile } from '../nn/safetensors'
import { loadStateDict } from '../nn/weights'
import type { LoadOptions, LoadReport } from '../nn/weights'
import { resizeBilinear } from '../nn/resize'
import type { VisionTransformer } from './visionTransformer'

/**
 * Loading ViT weights from either naming: torchvision's (`conv_proj`, `encoder.layers.encoder_layer_N…`)
 * or timm's (`patch_embed.proj`, `blocks.N…`, as on the Hugging Face hub). Both pack q, k, v as one
 * [3·D, D] matrix in the same order, so the mapping is names only.
 */

const timmToTorchvision: [RegExp, string][] = [
  [/^cls_token$/, 'class_token'],
  [/^pos_embed$/, 'encoder.pos_embedding'],
  [/^patch_embed\.proj\./, 'conv_proj.'],
  [/^blocks\.(\d+)\.norm1\./, 'encoder.layers.encoder_layer_$1.ln_1.'],
  [/^blocks\.(\d+)\.attn\.qkv\.weight$/, 'encoder.layers.encoder_layer_$1.self_attention.in_proj_weight'],
  [/^blocks\.(\d+)\.attn\.qkv\.bias$/, 'encoder.layers.encoder_layer_$1.self_attention.in_proj_bias'],
  [/^blocks\.(\d+)\.attn\.proj\./, 'encoder.layers.encoder_layer_$1.self_attention.out_proj.'],
  [/^blocks\.(\d+)\.norm2\./, 'encoder.layers.encoder_layer_$1.ln_2.'],
  [/^blocks\.(\d+)\.mlp\.fc1\./, 'encoder.layers.encoder_layer_$1.mlp.0.'],
  [/^blocks\.(\d+)\.mlp\.fc2\./, 'encoder.layers.encoder_layer_$1.mlp.3.'],
  [/^norm\./, 'encoder.ln.'],
  [/^head\./, 'heads.head.'],
]

/** A timm tensor name in torchvision's naming; names it does not know are returned unchanged. */
export function torchvisionVitName(timmName: string): string {
  for (const [pattern, replacement] of timmToTorchvision) {
    if (pattern.test(timmName)) return timmName.replace(pattern, replacement)
  }
  return timmName
}

export function isTimmVit(file: SafetensorsFile): boolean {
  return file.tensors.has('cls_token') || file.tensors.has('pos_embed')
}

/** The same file seen under new names (no data is copied). */
export function renameTensors(file: SafetensorsFile, rename: (name: string) => string): SafetensorsFile {
  const tensors = new Map<string, SafetensorsEntry>()
  for (const [name, entry] of file.tensors) {
    const to = rename(name)
    if (tensors.has(to)) throw new Error(`${file.source}: tensors '${name}' and another both map to '${to}'`)
    tensors.set(to, { name: to, dtype: entry.dtype, shape: entry.shape, toFloat32: () => entry.toFloat32() })
  }
  return { source: file.source, metadata: file.metadata, tensors }
}

export interface VitLoadOptions extends LoadOptions {
  /**
   * When the file's position embedding is for another image size (e.g. 224-px ImageNet weights into
   * the 384-px model), resample its patch grid bilinearly instead of failing. Default false.
   */
  resizePosEmbedding?: boolean
}

/** Load torchvision- or timm-named ViT weights; mismatches throw naming every missing/unexpected/mis-shaped tensor. */
export function loadVitWeights(
  model: VisionTransformer,
  file: SafetensorsFile,
  options: VitLoadOptions = {},
): LoadReport {
  let named = isTimmVit(file) ? renameTensors(file, torchvisionVitName) : file
  const posName = `${options.prefix ?? ''}encoder.pos_embedding`
  const pos = named.tensors.get(posName)
  const want = model.encoder.posEmbedding.shape
  if (options.resizePosEmbedding && pos && pos.shape.join() !== want.join()) {
    const resized = resizePositionEmbedding(pos, want[1], named.source)
    named = { ...named, tensors: new Map(named.tensors).set(posName, resized) }
  }
  return loadStateDict(model, named, options)
}

/** [1, 1 + g², D] → [1, 1 + n², D]: the class position stays, the g×g grid is resampled to n×n. */
function resizePositionEmbedding(
  entry: SafetensorsEntry,
  seqLength: number,
  source: string,
): SafetensorsEntry {
  const [one, tokens, dim] = entry.shape
  const from = Math.round(Math.sqrt(tokens - 1))
  const to = Math.round(Math.sqrt(seqLength - 1))
  if (entry.shape.length !== 3 || one !== 1 || from * from !== tokens - 1 || to * to !== seqLength - 1) {
    throw new Error(
      `${source}: cannot resize a position embedding of shape [${entry.shape}] to ${seqLength} tokens`,
    )
  }
  const data = tf.tidy(() => {
    const all = tf.tensor3d(entry.toFloat32(), [1, tokens, dim])
    const cls = tf.slice(all, [0, 0, 0], [1, 1, dim])
    const grid = tf.reshape(tf.slice(all, [0, 1, 0], [1, tokens - 1, dim]), [1, from, from, dim])
    const resized = tf.reshape(resizeBilinear(grid, [to, to]), [1, to * to, dim])
    return tf.concat([cls, resized], 1).dataSync() as Float32Array
  })
  return { name: entry.name, dtype: 'F32', shape: [1, seqLength, dim], toFloat32: () => data.slice() }
}
