import * as tf from '@tensorflow/tfjs'

/**
 * Saliency maps as the paper draws them (section 4.1.1, Figure 2): the gradient of a class score with
 * respect to the input pixels (Simonyan et al. 2014, "Deep inside convolutional networks"). The score
 * is the class's logit before softmax or sigmoid; a pixel's saliency is the largest absolute gradient
 * over its colour channels. Works for any differentiable classifier, CNN or ViT alike.
 *
 * Put the network in eval mode first: in training mode BatchNorm mixes the images of a batch and
 * dropout makes the map random.
 */

/** Maps preprocessed images [N, H, W, C] to class logits [N, classes]. */
export type ClassScores = (images: tf.Tensor4D) => tf.Tensor2D

/**
 * Saliency [N, H, W] of `images` [N, H, W, C] for one class per image (`classIndex` a number applies
 * to all). The caller disposes the result.
 */
export function saliencyMap(
  scores: ClassScores,
  images: tf.Tensor4D,
  classIndex: number | readonly number[],
): tf.Tensor3D {
  if (images.rank !== 4) throw new Error(`saliencyMap expects images [N, H, W, C], got [${images.shape}]`)
  const n = images.shape[0]
  const classes = typeof classIndex === 'number' ? Array<number>(n).fill(classIndex) : [...classIndex]
  if (classes.length !== n) throw new Error(`saliencyMap: ${n} images but ${classes.length} class indices`)
  return tf.tidy(() => {
    // Σ_i score_i[c_i]: in eval mode image i's score depends only on image i, so one backward pass
    // gives every image's own gradient.
    const grad = tf.grad((x: tf.Tensor) => {
      const logits = scores(x as tf.Tensor4D)
      const count = logits.shape[1]
      const bad = classes.find((c) => !Number.isInteger(c) || c < 0 || c >= count)
      if (bad !== undefined) throw new Error(`saliencyMap: class ${bad} is not one of the ${count} classes`)
      return tf.sum(tf.mul(logits, tf.oneHot(tf.tensor1d(classes, 'int32'), count)))
    })(images)
    return tf.max(tf.abs(grad), -1) as tf.Tensor3D
  })
}
