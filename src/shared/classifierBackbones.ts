/**
 * The classification backbones, one list for the core (which builds them), the CLI's --backbone and the
 * training panel: the paper's ResNet-50 and ViT-B/16 at 224 px, and small presets that train in seconds
 * on a CPU.
 */
export const CLASSIFIER_BACKBONES = ['resnet50', 'vit_b16', 'resnet_tiny', 'vit_tiny'] as const
export type ClassifierBackbone = (typeof CLASSIFIER_BACKBONES)[number]

export interface BackboneInfo {
  label: string
  kind: 'cnn' | 'transformer'
  /** The input side the backbone is built for (the paper: 224). */
  imageSize: number
  /** The ImageNet file it starts from, when the user imported one (`s4mi weights import`). */
  imagenet: 'resnet50' | 'vit_b_16' | null
}

export const BACKBONES: Record<ClassifierBackbone, BackboneInfo> = {
  resnet50: { label: 'ResNet-50', kind: 'cnn', imageSize: 224, imagenet: 'resnet50' },
  vit_b16: { label: 'ViT-B/16', kind: 'transformer', imageSize: 224, imagenet: 'vit_b_16' },
  resnet_tiny: { label: 'Small ResNet (quick)', kind: 'cnn', imageSize: 32, imagenet: null },
  vit_tiny: { label: 'Small ViT (quick)', kind: 'transformer', imageSize: 32, imagenet: null },
}

/**
 * CASS trains a CNN and a Transformer together (the paper: ResNet-50 + ViT-B/16, both from ImageNet); the
 * pairs offered are every CNN with every Transformer, written `cnn+transformer`.
 */
export const CASS_BACKBONE_PAIRS: readonly string[] = CLASSIFIER_BACKBONES.filter(
  (c) => BACKBONES[c].kind === 'cnn',
).flatMap((c) =>
  CLASSIFIER_BACKBONES.filter((t) => BACKBONES[t].kind === 'transformer').map((t) => `${c}+${t}`),
)

/** The overrides a backbone choice implies (the CLI's --backbone, the training panel): it and its input side. */
export function backboneOverrides(backbone: string): { backbone: ClassifierBackbone; imageSize: number } {
  if (!(CLASSIFIER_BACKBONES as readonly string[]).includes(backbone)) {
    const pair = CASS_BACKBONE_PAIRS.includes(backbone) ? ' (a CNN + Transformer pair is for CASS)' : ''
    throw new Error(`Unknown backbone '${backbone}'${pair}; choose one of ${CLASSIFIER_BACKBONES.join(', ')}`)
  }
  const b = backbone as ClassifierBackbone
  return { backbone: b, imageSize: BACKBONES[b].imageSize }
}

/**
 * CASS's overrides for a `cnn+transformer` pair: both networks, at the larger of their input sides (a
 * ResNet takes any size; the ViT is built for the run's).
 */
export function cassBackboneOverrides(pair: string): {
  cnnBackbone: ClassifierBackbone
  vitBackbone: ClassifierBackbone
  imageSize: number
} {
  if (!CASS_BACKBONE_PAIRS.includes(pair))
    throw new Error(
      `CASS trains a CNN and a Transformer together: --backbone takes a pair, one of ${CASS_BACKBONE_PAIRS.join(', ')}; got '${pair}'`,
    )
  const [cnn, vit] = pair.split('+') as [ClassifierBackbone, ClassifierBackbone]
  return {
    cnnBackbone: cnn,
    vitBackbone: vit,
    imageSize: Math.max(BACKBONES[cnn].imageSize, BACKBONES[vit].imageSize),
  }
}
