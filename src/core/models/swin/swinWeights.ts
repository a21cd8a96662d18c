import type { SafetensorsEntry, SafetensorsFile } from '../nn/safetensors'
import type { Module } from '../nn/module'
import { loadStateDict } from '../nn/weights'
import type { LoadOptions, LoadReport } from '../nn/weights'
import { renameTensors } from '../vit/vitWeights'

/**
 * Swin weight files come in three namings: torchvision (`features.N…`, ours), the original
 * Microsoft release and old timm (`layers.i.blocks.j…`, `layers.i.downsample` merging AFTER stage i,
 * `head`), and timm ≥ 0.9 (`layers.i.downsample` merging BEFORE stage i, `head.fc`). Blocks name the
 * MLP `mlp.fc1/fc2` in the last two.
 */
export type SwinNaming = 'torchvision' | 'microsoft' | 'timm'

export function swinNamingOf(names: Iterable<string>): SwinNaming {
  let layered = false
  for (const name of names) {
    if (name.startsWith('layers.0.downsample.')) return 'microsoft'
    if (name.startsWith('layers.')) layered = true
  }
  return layered ? 'timm' : 'torchvision'
}

/** A Microsoft/timm Swin tensor name in torchvision's naming; unknown names come back unchanged. */
export function torchvisionSwinName(name: string, naming: Exclude<SwinNaming, 'torchvision'>): string {
  const block = /^layers\.(\d+)\.blocks\.(\d+)\.(.*)$/.exec(name)
  if (block) {
    const rest = block[3].replace(/^mlp\.fc1\./, 'mlp.0.').replace(/^mlp\.fc2\./, 'mlp.3.')
    return `features.${2 * Number(block[1]) + 1}.${block[2]}.${rest}`
  }
  const merge = /^layers\.(\d+)\.downsample\.(.*)$/.exec(name)
  if (merge) {
    const stage = Number(merge[1])
    return `features.${naming === 'microsoft' ? 2 * stage + 2 : 2 * stage}.${merge[2]}`
  }
  return name
    .replace(/^patch_embed\.proj\./, 'features.0.0.')
    .replace(/^patch_embed\.norm\./, 'features.0.2.')
    .replace(/^head\.fc\./, 'head.')
}

/** Buffers some checkpoints carry that are derived from the config, not learned. */
const derived = (name: string) => name.endsWith('.attn_mask') || name.endsWith('num_batches_tracked')

/**
 * Drop the attention masks some checkpoints store and supply the `relative_position_index` buffers a
 * file leaves out (timm does not save them): both follow from the config, so only learned tensors
 * are left to match.
 */
export function withDerivedSwinBuffers(file: SafetensorsFile, model: Module, prefix = ''): SafetensorsFile {
  const tensors = new Map([...file.tensors].filter(([name]) => !derived(name)))
  for (const [name, slot] of model.stateDict()) {
    if (!name.endsWith('relative_position_index') || tensors.has(prefix + name) || !slot.built) continue
    const values = slot.value.dataSync()
    const entry: SafetensorsEntry = {
      name: prefix + name,
      dtype: 'I32',
      shape: slot.shape,
      toFloat32: () => Float32Array.from(values),
    }
    tensors.set(prefix + name, entry)
  }
  return { ...file, tensors }
}

/** Fit a Swin checkpoint in any of the three namings to a module with torchvision Swin names. */
export function torchvisionSwinFile(file: SafetensorsFile, model: Module, prefix = ''): SafetensorsFile {
  const naming = swinNamingOf(file.tensors.keys())
  const renamed = naming === 'torchvision' ? file : renameTensors(file, (n) => torchvisionSwinName(n, naming))
  return withDerivedSwinBuffers(renamed, model, prefix)
}

/** Load torchvision-, Microsoft- or timm-named Swin weights into a torchvision-named Swin. */
export function loadSwinWeights(model: Module, file: SafetensorsFile, options: LoadOptions = {}): LoadReport {
  return loadStateDict(model, torchvisionSwinFile(file, model, options.prefix), options)
}
