import type { Module } from '../nn/module'
import { buildShapeOnly } from '../nn/module'
import type { SafetensorsFile } from '../nn/safetensors'
import { matchStateDict } from '../nn/weights'
import { ResNet } from '../resnet/resnet'
import { resnetConfig } from '../resnet/resnetConfig'
import { VisionTransformer } from '../vit/visionTransformer'
import { vitConfig } from '../vit/vitConfig'
import { isTimmVit, renameTensors, torchvisionVitName } from '../vit/vitWeights'
import { SwinTransformer } from '../swin/swinTransformer'
import { swinConfig } from '../swin/swinConfig'
import { swinNamingOf, torchvisionSwinName } from '../swin/swinWeights'

/**
 * The ImageNet backbones a user can bring as `.safetensors` files, and how to recognise each from
 * its tensor names and shapes (torchvision or timm naming). Heads are not required: a file without
 * `fc`/`head` still initialises a backbone.
 */
export interface PretrainedArchitecture {
  id: 'resnet18' | 'resnet34' | 'resnet50' | 'vit_b_16' | 'swin_t'
  label: string
  /** The model, shape-only, for matching names and shapes. */
  build: () => Module
  /** The file in our (torchvision) naming. */
  canonical: (file: SafetensorsFile) => SafetensorsFile
  /** Tensor names (our naming) a backbone file may lack: the classification head. */
  optional: (name: string) => boolean
}

const same = (file: SafetensorsFile) => file

export const pretrainedArchitectures: PretrainedArchitecture[] = [
  ...(['resnet18', 'resnet34', 'resnet50'] as const).map((id) => ({
    id,
    label: `ResNet-${id.slice(6)} (torchvision/timm)`,
    build: () => new ResNet(resnetConfig(id)),
    canonical: same,
    optional: (name: string) => name.startsWith('fc.'),
  })),
  {
    id: 'vit_b_16',
    label: 'ViT-B/16 (torchvision/timm)',
    build: () => new VisionTransformer(vitConfig('vitB16')),
    canonical: (file) => (isTimmVit(file) ? renameTensors(file, torchvisionVitName) : file),
    // A 384-px checkpoint differs only in its position embedding, which the ViT loader resizes.
    optional: (name) => name.startsWith('heads.') || name === 'encoder.pos_embedding',
  },
  {
    id: 'swin_t',
    label: 'Swin-T (torchvision/timm/Microsoft)',
    build: () => new SwinTransformer(swinConfig('swinT')),
    canonical: (file) => {
      const naming = swinNamingOf(file.tensors.keys())
      return naming === 'torchvision' ? file : renameTensors(file, (n) => torchvisionSwinName(n, naming))
    },
    // Buffers derived from the config (timm does not store them) and the head.
    optional: (name) => name.startsWith('head.') || name.endsWith('relative_position_index'),
  },
]

export interface ArchitectureMatch {
  architecture: PretrainedArchitecture
  /** Required model tensors found with the right shape, over all required tensors. */
  coverage: number
  missing: string[]
  misshaped: string[]
}

/** The architecture a weight file holds, or null with the closest candidate's problems. */
export function identifyArchitecture(file: SafetensorsFile): {
  match: ArchitectureMatch | null
  closest: ArchitectureMatch
} {
  let closest: ArchitectureMatch | null = null
  for (const architecture of pretrainedArchitectures) {
    const model = buildShapeOnly(architecture.build)
    const fit = matchStateDict(model, architecture.canonical(file))
    const required = [...model.stateDict().keys()].filter((n) => !architecture.optional(n))
    const matched = new Set(fit.matches.map(([, n]) => n))
    const found = required.filter((n) => matched.has(n)).length
    const candidate: ArchitectureMatch = {
      architecture,
      coverage: required.length ? found / required.length : 0,
      missing: fit.missing.filter((n) => !architecture.optional(n)),
      misshaped: fit.misshaped.filter((m) => !architecture.optional(m.slice(0, m.indexOf(' [')))),
    }
    if (!closest || candidate.coverage > closest.coverage) closest = candidate
  }
  const best = closest!
  const exact = best.missing.length === 0 && best.misshaped.length === 0
  return { match: exact ? best : null, closest: best }
}
