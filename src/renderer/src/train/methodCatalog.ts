// What each method is, in the words of the paper, and which task it serves.

export type Task = 'segmentation' | 'classification'
export type Method = 'supervised' | 'cross-teaching' | 'picie' | 'dino' | 'cass'

export interface MethodInfo {
  method: Method
  task: Task
  name: string
  kind: 'supervised' | 'semi-supervised' | 'self-supervised' | 'unsupervised'
  description: string
  /** PiCIE learns without labels: it always trains at label fraction 0. */
  usesLabels: boolean
  /** Whether the core can train it. */
  available: boolean
}

export const METHODS: MethodInfo[] = [
  {
    method: 'supervised',
    task: 'segmentation',
    name: 'Supervised U-Net',
    kind: 'supervised',
    description: 'U-Net with a ResNet-34 encoder, trained on the labelled masks only.',
    usesLabels: true,
    available: true,
  },
  {
    method: 'cross-teaching',
    task: 'segmentation',
    name: 'Cross teaching',
    kind: 'semi-supervised',
    description: 'A CNN U-Net and a Swin-UNet teach each other on unlabelled images with pseudo-labels.',
    usesLabels: true,
    available: true,
  },
  {
    method: 'picie',
    task: 'segmentation',
    name: 'PiCIE',
    kind: 'unsupervised',
    description: 'Clusters pixel features, invariant to colour and equivariant to geometry; no labels.',
    usesLabels: false,
    available: true,
  },
  {
    method: 'supervised',
    task: 'classification',
    name: 'Supervised',
    kind: 'supervised',
    description: 'ImageNet-initialised ResNet-50 or ViT, fine-tuned on the labelled images.',
    usesLabels: true,
    available: true,
  },
  {
    method: 'dino',
    task: 'classification',
    name: 'DINO',
    kind: 'self-supervised',
    description:
      'Self-distillation between a student and an EMA teacher on multi-crop views, then fine-tuning.',
    usesLabels: true,
    available: true,
  },
  {
    method: 'cass',
    task: 'classification',
    name: 'CASS',
    kind: 'self-supervised',
    description: 'A CNN and a Transformer pull their outputs together on the same view, then fine-tuning.',
    usesLabels: true,
    available: true,
  },
]

/** The paper's label fractions, 0–1. */
export const LABEL_FRACTIONS = [0.1, 0.3, 0.5, 0.7, 1] as const

export function methodsFor(task: Task): MethodInfo[] {
  return METHODS.filter((m) => m.task === task)
}

export function methodName(method: string, task?: string): string {
  return METHODS.find((m) => m.method === method && (!task || m.task === task))?.name ?? method
}
