// Types shared by the core, the API contract and the renderer. Plain data only.

export type LabelMode = 'multi-class' | 'multi-label'
export type Subset = 'train' | 'val' | 'test'
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
export type MaskRevisionKind = 'import' | 'edit' | 'prediction'

/**
 * Which masks a labelled set trains on: drawn by hand (painted or imported) only, or also masks that came
 * from an accepted prediction ("reviewed"; see store migration 015).
 */
export type LabelSource = 'hand' | 'reviewed'

/** Accepting a prediction: the whole of it, only where the mask is unpainted, or only its confident pixels. */
export type AcceptMode = 'replace' | 'fillUnpainted' | 'confident'

/** The default threshold of 'confident': 0.9, a common cut-off for accepting pseudo-labels (FixMatch uses 0.95; MONAI Label's examples 0.9). */
export const DEFAULT_CONFIDENCE = 0.9

/** An image label: a diagnosis or finding about a whole image (multi-class or multi-label). */
export interface ClassDef {
  id: number
  name: string
  /** CSS colour, used for the label's badges and chips. */
  color: string
  /** The mask class this label usually shows (a melanoma shows a `lesion`), if known: the default paint class. */
  maskClassId?: number | null
}

/** A mask class: what a pixel is (lesion, tumour, stroma, necrosis, cell…). Background (0) is implicit. */
export interface MaskClassDef {
  id: number
  /** The pixel value of this class in every mask of the project (1…255). */
  value: number
  name: string
  /** CSS colour of its overlay. */
  color: string
}

export interface ProjectCounts {
  images: number
  tiles: number
  /** Image labels (diagnoses). */
  classes: number
  maskClasses: number
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
  /** Image labels (diagnoses): what the label chips offer. */
  classes: ClassDef[]
  /** Mask classes: what the paint palette offers and what masks' pixel values mean. */
  maskClasses: MaskClassDef[]
  /** Validation and test masks (evaluation ground truth) cannot be changed while this is on. */
  lockEvaluationMasks: boolean
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
  /** Image-label (class) ids set on this image. */
  labels: number[]
  labelled: boolean
  hasMask: boolean
  /** The current mask came, wholly or in part, from an accepted prediction (see MaskRevision.reviewed). */
  maskReviewed: boolean
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
  /** The trained run whose prediction this revision is (kind 'prediction'), if known. */
  runId: number | null
  createdAt: string
  /** Came, wholly or in part, from an accepted prediction (corrections included): "reviewed", not hand-made. */
  reviewed: boolean
}

/** What a QuPath GeoJSON import did: the result of its import job. */
export interface GeoJsonImportSummary {
  /** Images given a new mask revision. */
  masks: number
  /** Features painted into masks. */
  features: number
  /** Features left out, with why (points and lines, TMA cores, unclassified when asked to skip them). */
  skipped: string[]
  maskClassesAdded: string[]
}

export interface RecentProject {
  dir: string
  name: string
  openedAt: string
}
