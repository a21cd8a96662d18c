import { describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import { signedInterval } from '../../eval/experimentStatistics'
import { meanConfidenceInterval } from '../../eval/meanConfidenceInterval'
import { pretrainCass } from './cass'
import { PROBE_PROTOCOL, probeImagesForSuite } from './fixtures/demoProbeImages'
import { embedImages, knnAccuracy } from './fixtures/knnProbe'
import type { SslBackboneName } from './sslBackbone'

/**
 * The issue's criterion for CASS: after a short pretraining, a k-NN probe on each network's frozen embedding
 * beats the same probe on that network's random start (pretrainCass builds the CNN with the run's seed and
 * the Transformer with seed + 1). Same demo images, probe, statistics and seeds as sslProbeDino.test.ts:
 * the multi-class demo's 84 training images at 32 px, the quick preset's CASS for 12 epochs, 20 seeds. What
 * is asserted: the paired 95 % t-interval of each network's gain lies above 0, the CNN's with BatchNorm
 * normalised by the probe images' own statistics ('batch', the comparison of weights: knnProbe.ts). A ViT
 * has no BatchNorm, so its probe runs in evaluation mode only. The CNN's gain with its running statistics
 * (eval_knn.py's reading) is printed, not asserted.
 *
 * Measured 6 Dec, gain over the random start, seeds 1–20 (CNN: batch / running statistics):
 *   Transformer +0.071, +0.286, +0.048, +0.083, +0.143, +0.083, +0.167, +0.095, +0.024, +0.107, +0.143,
 *   +0.167, 0.000, −0.036, +0.179, +0.012, +0.107, +0.214, +0.179, +0.155: mean +0.111 [0.074, 0.148].
 *   CNN +0.107 / +0.202, +0.179 / +0.369, +0.060 / +0.036, 0.000 / −0.214, −0.071 / −0.036, +0.024 / +0.131,
 *   +0.119 / −0.071, +0.119 / +0.083, +0.060 / +0.024, −0.012 / −0.024, +0.012 / −0.083, +0.107 / +0.119,
 *   +0.036 / 0.000, +0.202 / +0.155, −0.024 / −0.036, +0.179 / +0.119, +0.143 / +0.095, −0.048 / −0.048,
 *   +0.048 / +0.119, 0.000 / −0.036: mean +0.062 [0.025, 0.099] / +0.045 [−0.014, 0.104].
 * With the rate 0 both gains are exactly 0 and this test goes red.
 *
 * Why 20 seeds: the CNN's gain is small. Over seeds 1–5 alone it was +0.055 [−0.065, 0.174], over 1–10
 * +0.058 [0.005, 0.112]; seeds 11–20, run as a replication before the protocol changed, gave +0.065 [0.003,
 * 0.128] on their own. Both networks see the same view, so the loss asks for agreement, not for invariance to
 * the augmentation; from random weights (the paper starts both from ImageNet) the CNN mostly learns to agree:
 * in 12 epochs the loss falls 0.9 → 0.04 (cosine 0.98 between the two heads) while the CNN's head outputs
 * crowd together (mean cosine to their mean direction 0.61 → 0.76, 0.58 → 0.71, 0.63 → 0.77 on seeds 3–5):
 * partly collapsed, not collapsed. Batch 16 (seeds 3 and 5) or the rate 3e-4 (seed 3) did no better, nor did
 * 30 epochs (5 seeds: CNN +0.052 [−0.052, 0.157] / +0.081 [−0.153, 0.315], Transformer +0.083 [−0.050,
 * 0.216]), nor CASS's own 1000 outputs (5 seeds: CNN +0.081 [−0.002, 0.164]).
 *
 * Before 5 Dec this probe ran on constructed shapes of 16 px, where neither network beat its random start.
 * About eleven minutes, so with S4MI_SSL_PROBE=1 (npm run test:ssl-probe), not in npm test.
 */
const enabled = process.env.S4MI_SSL_PROBE === '1'
const { seeds: SEEDS, epochs: EPOCHS } = PROBE_PROTOCOL

describe.runIf(enabled)('k-NN probe after a short CASS pretraining, on the multi-class demo', () => {
  const probeImages = probeImagesForSuite()

  it('both networks beat their random start, the CNN with BatchNorm on the probe images', async () => {
    const images = probeImages()
    const gains = { vit: [] as number[], cnnBatch: [] as number[], cnnRunning: [] as number[] }
    for (const seed of SEEDS) {
      const probe = (
        net: SslBackboneName,
        state: TrainState | null,
        netSeed: number,
        mode: 'batch' | 'running',
      ) => knnAccuracy(embedImages(net, images.probe, state, netSeed, mode), images.labels)
      const r = await pretrainCass({
        images: images.unlabelled,
        cnn: 'resnet_tiny',
        vit: 'vit_tiny',
        preset: 'quick',
        seed,
        hyper: { epochs: EPOCHS },
      })
      gains.vit.push(
        probe('vit_tiny', r.vit.state, seed + 1, 'running') - probe('vit_tiny', null, seed + 1, 'running'),
      )
      gains.cnnBatch.push(
        probe('resnet_tiny', r.cnn.state, seed, 'batch') - probe('resnet_tiny', null, seed, 'batch'),
      )
      gains.cnnRunning.push(
        probe('resnet_tiny', r.cnn.state, seed, 'running') - probe('resnet_tiny', null, seed, 'running'),
      )
      console.log(
        `CASS seed ${seed}, gain over the random start: Transformer ${gains.vit.at(-1)!.toFixed(3)}; ` +
          `CNN ${gains.cnnBatch.at(-1)!.toFixed(3)} / ${gains.cnnRunning.at(-1)!.toFixed(3)} (batch / running)`,
      )
    }
    const vit = meanConfidenceInterval(gains.vit)
    console.log(
      `CASS k-NN gain, mean [95 % CI] over ${SEEDS.length} seeds: Transformer ${signedInterval(vit)}; CNN ` +
        `${signedInterval(meanConfidenceInterval(gains.cnnBatch))} / ${signedInterval(meanConfidenceInterval(gains.cnnRunning))} ` +
        '(batch / running; running: not asserted, see above)',
    )
    expect(vit.lower).toBeGreaterThan(0)
    expect(meanConfidenceInterval(gains.cnnBatch).lower).toBeGreaterThan(0)
  }, 1_800_000)
})
