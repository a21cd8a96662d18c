import { z } from 'zod'
import type { MaskState } from '../api'
import type { MaskRevisionKind } from '../types'
import { id, output } from './schemaParts'

/** Level 0 is full resolution; level k is downsampled by 2^k. */
export interface PyramidLevel {
  level: number
  width: number
  height: number
  cols: number
  rows: number
}

/** What a slide says about its physical size (null: the file does not say). */
export interface SlidePhysicalSize {
  /** The format in words: 'Aperio SVS', 'OME-TIFF', 'Hamamatsu NDPI', 'PNG'… */
  formatName: string
  /** Microns per pixel at full resolution. */
  mppX: number | null
  mppY: number | null
  /** The scan's objective magnification (40 for a 40× scan), or one estimated from mppX (10 / mppX). */
  magnification: number | null
  /** True when `magnification` was estimated from the pixel size rather than read from the file. */
  magnificationEstimated: boolean
  scanner: string | null
}

/** A finished classification run whose saliency maps can be drawn. */
export interface SaliencyRun {
  runId: number
  method: string
  labelFraction: number | null
  seed: number
}

/** A run's saliency map of one image (paper Figure 2), as a layer to lay over the whole image. */
export interface SaliencyLayer {
  runId: number
  /** The map's size: the classifier's input side, or a slide at that scale (its tiles' maps stitched). */
  width: number
  height: number
  /** base64 RGBA, width × height: heat colours, alpha the saliency scaled by its 99th percentile. */
  layer: string
  className: string
  /** The classifier's probability for that class. */
  probability: number
  /** Every class the map can be drawn for. */
  classNames: string[]
}

/** A slide's tissue mask (data/slideTissue.ts) as a layer to lay over the whole image. */
export interface TissueLayer {
  /** The mask's size (a low-resolution picture of the slide). */
  width: number
  height: number
  /** base64 RGBA, width × height: tissue tinted, glass clear. */
  layer: string
  /** Otsu's threshold on saturation (0–255). */
  threshold: number
  tilesUsed: number
  tilesSkipped: number
}

export interface Pyramid {
  imageId: number
  width: number
  height: number
  tileSize: number
  levels: PyramidLevel[]
  physical: SlidePhysicalSize
}

export interface MaskTiles {
  /** The revision the tiles were read from (null: no mask yet). */
  revisionId: number | null
  /** Per requested tile: base64 of its class indices (row-major, tile-sized or smaller at the edges), or null when all background. */
  tiles: (string | null)[]
}

export interface PredictionSummary {
  runId: number
  method: string
  blob: string
  createdAt: string
  /** Mask class values with a probability map (0: any mask class); empty for runs predicted before maps were kept. */
  probabilities: number[]
}

export type { AcceptMode } from '../types'

/** What accepting a run's prediction would change on one image, in pixels. */
export interface PredictionDifference {
  imageId: number
  runId: number
  pixels: number
  maskPixels: number
  predictionPixels: number
  /** Unpainted in the mask, a class in the prediction. */
  added: number
  /** A class in the mask, background in the prediction. */
  removed: number
  /** A different class in each. */
  changed: number
  /** The mask that would be replaced (null: the image has none). */
  mask: { revisionId: number; kind: MaskRevisionKind; createdAt: string } | null
  /** 'val' or 'test' when the image is evaluation data. */
  evaluation: 'val' | 'test' | null
}

/** How a prediction is accepted (types.ts AcceptMode), and the probability 'confident' asks for. */
const acceptMode = z.enum(['replace', 'fillUnpainted', 'confident'])
const threshold = z.number().gt(0).max(1).optional()

const tileList = z
  .array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))
  .min(1)
  .max(512)
const base64 = z.string().max(64 * 1024 * 1024)

/** The slide viewer: resolution levels and tiles, tiled mask reads and patch edits, predictions, exports. */
export const viewerApi = {
  'viewer.pyramid': { input: z.object({ imageId: id }).strict(), output: output<Pyramid>() },
  'viewer.tiles': {
    input: z.object({ imageId: id, level: z.number().int().min(0).max(30), tiles: tileList }).strict(),
    output: output<{ blobs: string[] }>(),
  },
  'viewer.maskTiles': {
    input: z
      .object({
        imageId: id,
        tileSize: z.number().int().min(16).max(4096),
        tiles: tileList,
        /** Read a run's predicted mask instead of the annotator's. */
        runId: id.optional(),
        /** Read what accepting this run's prediction would change in the mask (1 added, 2 removed, 3 changed). */
        differenceRunId: id.optional(),
        /** The difference as accepting in this mode would make it (default 'replace'), and its threshold. */
        differenceMode: acceptMode.optional(),
        differenceThreshold: threshold,
      })
      .strict(),
    output: output<MaskTiles>(),
  },
  'viewer.maskPatch': {
    input: z
      .object({
        imageId: id,
        patches: z
          .array(
            z
              .object({
                x: z.number().int().min(0),
                y: z.number().int().min(0),
                width: z.number().int().positive(),
                height: z.number().int().positive(),
                /** base64 of width × height class indices, row-major. */
                data: base64,
              })
              .strict(),
          )
          .min(1)
          .max(4096),
        /**
         * The revision this save continues (a stroke saved while still being drawn): it is replaced by a
         * sibling holding both, so one stroke stays one undo step. Ignored unless it is still the head.
         */
        amend: id.nullable().default(null),
      })
      .strict(),
    output: output<MaskState>(),
  },
  'viewer.predictions': { input: z.object({ imageId: id }).strict(), output: output<PredictionSummary[]>() },
  'viewer.probabilityTiles': {
    input: z
      .object({
        imageId: id,
        runId: id,
        /** 0: any mask class (1 − p(background)); otherwise a mask class value the run kept a map of. */
        classValue: z.number().int().min(0).max(255),
        tileSize: z.number().int().min(16).max(4096),
        tiles: tileList,
      })
      .strict(),
    /** Per tile: base64 of 8-bit probabilities (round(255·p)), row-major, or null where all are 0. */
    output: output<{ tiles: (string | null)[] }>(),
  },
  'viewer.saliencyRuns': { input: z.object({}).strict(), output: output<SaliencyRun[]>() },
  'viewer.saliency': {
    input: z
      .object({
        imageId: id,
        runId: id,
        className: z.string().min(1).max(200).optional(),
        /** CASS runs: the CNN's map (default) or the Transformer's. */
        network: z.enum(['cnn', 'vit']).optional(),
      })
      .strict(),
    output: output<SaliencyLayer>(),
  },
  /** Null when the image has no tissue detection (not a slide, or imported before it existed). */
  'viewer.tissue': { input: z.object({ imageId: id }).strict(), output: output<TissueLayer | null>() },
  'viewer.comparePrediction': {
    input: z.object({ imageId: id, runId: id, mode: acceptMode.optional(), threshold }).strict(),
    output: output<PredictionDifference>(),
  },
  'viewer.acceptPrediction': {
    input: z
      .object({
        imageId: id,
        runId: id,
        mode: acceptMode.optional(),
        /** 'confident': the probability a pixel's predicted class needs (default 0.9). */
        threshold,
        /** Required on validation and test images: the caller knows it replaces evaluation ground truth. */
        evaluationConfirmed: z.boolean().optional(),
      })
      .strict(),
    output: output<MaskState>(),
  },
} as const
