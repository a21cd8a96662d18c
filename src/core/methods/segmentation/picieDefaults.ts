import type { Hyper, Preset } from '../method'
import { inputDefaults } from './inputDefaults'
import { PLANNED_MICRO_BATCHES } from './segmentationMemoryPlan'

/**
 * PiCIE's hyperparameters, each from the paper (S4MI section 3.2) or the code it ran: the S4MI fork
 * Shra1-25/PiCIE (sh_files/train_picie_dermatomyositis.sh, train_picie_dermatomyositis.sh, commons.py,
 * train_picie.py's argument defaults) of janghyuncho/PiCIE.
 */
export function picieDefaults(preset: Preset): Hyper {
  const paper = preset === 'paper'
  return {
    ...inputDefaults(preset),
    // The fork's scripts: --res 480 --res1 480 --res2 480.
    imageSize: paper ? 480 : 32,
    // The paper: "the ResNet34 backbone" (the fork's --arch default); 'resnet18' is upstream PiCIE's.
    // Quick runs use the tiny FPN.
    backbone: paper ? 'resnet34' : 'tiny',
    // The paper and the fork's Dermatomyositis/ISIC scripts train 50 epochs; upstream's train_picie.sh 10.
    epochs: paper ? 50 : 10,
    // K_train=2 (foreground, background) in every fork script. A run without it set uses the data's class
    // count (background included), 2 when binary.
    k: 2,
    // The paper: "batch sizes of 64 and 128"; --batch_size_train defaults to 64, the scripts' bsize
    // (--batch_size_cluster) is 64 (128 in dermatomyositis_picie.SBATCH).
    batchSize: paper ? 64 : 8,
    clusterBatchSize: paper ? 64 : 8,
    // KM_INIT=20, KM_NUM=1, KM_ITER=20 (train_picie_dermatomyositis.sh; the ISIC script uses 32).
    initBatches: 20,
    updateBatches: 1,
    kmeansIterations: 20,
    // Points per centroid the initial k-means clusters at most (faiss's max_points_per_centroid, which
    // PiCIE's get_init_centroids sets to 10,000,000, i.e. every point: KM_INIT 20 batches of 64 images at
    // 480 px are 18.4 M features of 128 floats, 9.4 GB, more than a lab machine has). Ours keeps a uniform
    // sample of K × 500,000 (512 MB at K = 2) as the batches arrive; 0 clusters every point as PiCIE.
    kmeansPointsPerCluster: 500_000,
    // The paper moved PiCIE to SGD + StepLR at PiCIE's lr 1e-4 because Adam collapsed to one cluster.
    // Momentum 0.9 and weight decay 0 are train_picie.py's defaults; StepLR(step_size=5, gamma=0.502) is
    // the fork's commons.py, stepped once per epoch. Quick runs take a larger rate to move in 10 epochs.
    optimizer: 'sgd',
    lr: paper ? 1e-4 : 0.05,
    momentum: 0.9,
    weightDecay: 0,
    schedule: 'step',
    cosineTMax: 0,
    etaMin: 0,
    stepSize: 5,
    gamma: 0.502,
    // --min_scale 0.5: the crop's side is 0.5–1 of the image's side.
    minScale: 0.5,
    // init_transforms: brightness/contrast/saturation 0.3, hue 0.1, each with probability 0.8.
    jitter: 0.3,
    hue: 0.1,
    // PiCIE's code weights each cluster by its pixel share (janghyuncho/PiCIE issue #28 asks why not the
    // inverse); 'inverse' balances instead, 'none' is PiCIE's --no_balance.
    clusterWeighting: 'frequency',
    // The fork's scripts pass --repeats 1: the test split is scored with centroids from a fresh k-means
    // on the untransformed training images; false scores with the last epoch's view-1 centroids.
    freshClusters: true,
    ...PLANNED_MICRO_BATCHES,
  }
}
