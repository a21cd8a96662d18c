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
