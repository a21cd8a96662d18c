// Types shared by the core, the API contract and the renderer. Plain data only.

export type LabelMode = 'multi-class' | 'multi-label'
export type Subset = 'train' | 'val' | 'test'
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
export type MaskRevisionKind = 'import' | 'edit' | 'prediction'

export interface ClassDef {
  id: number
  name: string
  /** CSS colour, used for badges and mask painting. */
  color: string
}

export interface ProjectCounts {
  images: number
  tiles: number
  classes: number
  /** Image-class label pairs. */
  labels: number
  /** Images that carry image-level labels. */
  labelledImages: number
  /** Images with a current mask. */
  masks: number
  splits: number
  runs: number
}

export interface ProjectInfo {
  dir: string
  name: string
  labelMode: LabelMode
  schemaVersion: number
  classes: ClassDef[]
  counts: ProjectCounts
}

export interface ImageSummary {
  id: number
  name: string
  blob: string
  width: number
  height: number
  channels: number
  format: string
  officialSplit: Subset | null
  /** Class ids set on this image. */
  labels: number[]
  labelled: boolean
  hasMask: boolean
  /** Blob hash of the current mask (PNG of class indices), if any. */
  maskBlob: string | null
  tileCount: number
  /** Subset in the project's active split, if any. */
  subset: Subset | null
  /** In the active label-fraction selection (its labels are used for training). */
  inTrainingSet: boolean
}

export interface MaskRevision {
  id: number
  imageId: number
  parentId: number | null
  blob: string
  kind: MaskRevisionKind
  createdAt: string
}

export interface RecentProject {
  dir: string
  name: string
  openedAt: string
}
