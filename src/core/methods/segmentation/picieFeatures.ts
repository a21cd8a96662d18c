import * as tf from '@tensorflow/tfjs'
import { l2Normalize } from '../../models/nn/euclideanNorm'
import { applyGeometric, applyPhotometric, type PicieViewParams } from './picieViews'
import type { SegmentationNet } from './segmentationNet'

/** PiCIE's pixel features are L2-normalised per pixel (torch F.normalize(p=2, dim=1, eps=1e-12)). */
export function normalizeFeatures(f: tf.Tensor): tf.Tensor4D {
  return l2Normalize(f) as tf.Tensor4D
}

/**
 * The normalised features of one view of a batch (train_picie.py `train`, commons.py
 * run_mini_batch_kmeans / compute_labels). View 1: photometric transform, geometric transform of the
 * image, then the net. View 2: photometric transform, the net, then the geometric transform of its
 * features. `cell` is the image pixels per feature cell.
 */
export function viewFeatures(
  net: SegmentationNet,
  images: tf.Tensor4D,
  params: PicieViewParams[],
  view: 1 | 2,
  cell: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const one = (i: number) => images.slice([i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D
    if (view === 1) {
      const x = tf.concat(
        params.map((p, i) => applyGeometric(applyPhotometric(one(i), p.photo1), p.geometric, cell)),
      )
      return normalizeFeatures(net.forward(x))
    }
    const x = tf.concat(params.map((p, i) => applyPhotometric(one(i), p.photo2)))
    const f = net.forward(x) as tf.Tensor4D
    const parts = params.map((p, i) =>
      applyGeometric(f.slice([i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D, p.geometric, 1),
    )
    return normalizeFeatures(tf.concat(parts))
  })
}
