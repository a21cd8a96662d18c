import { describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import { signedInterval } from '../../eval/experimentStatistics'
import { meanConfidenceInterval } from '../../eval/meanConfidenceInterval'
import { pretrainDino } from './dino'
import { stripPrefix } from '../../engine/statePrefix'
import { PROBE_PROTOCOL, probeImagesForSuite } from './fixtures/demoProbeImages'
import { embedImages, knnAccuracy } from './fixtures/knnProbe'

/**
 * The issue's criterion for DINO: after a short pretraining, a k-NN probe on the frozen embedding beats the
 * same probe on the backbone's random start (the pretraining's own initial weights: the same seed). On the
 * multi-class demo, as the issue asks: its 84 training images (three diagnoses) at the quick preset's 32 px,
 * the quick preset's official recipe (DINO's convnet recipe for a ResNet) for 12 epochs, 20 seeds. Leave-
 * one-out k-NN (k = 5, cosine), BatchNorm normalised both by the probe images' own statistics ('batch', the
 * comparison of weights: knnProbe.ts) and by the network's running statistics (eval_knn.py's 'running').
 * Both networks come from one pretraining per seed: the student, which the quick preset fine-tunes, and the
 * teacher, which DINO's own evaluation reads and the paper preset keeps. What is asserted: the paired 95 %
 * t-interval of (after − random start) over the seeds lies above 0, for both networks in both modes.
 *
 * Measured 6 Dec, seeds 1–20 (batch / running):
 *   student +0.155 / +0.214, +0.083 / +0.298, +0.131 / +0.095, +0.167 / +0.190, +0.012 / −0.024,
 *   +0.190 / +0.369, +0.214 / −0.167, +0.167 / +0.048, −0.012 / −0.024, +0.071 / +0.036, +0.274 / +0.262,
 *   +0.167 / 0.000, +0.286 / +0.167, +0.369 / +0.321, +0.155 / +0.143, +0.155 / +0.095, +0.048 / −0.024,
 *   +0.048 / +0.083, −0.119 / −0.095, +0.048 / +0.131: mean +0.130 [0.078, 0.183] / +0.106 [0.039, 0.173];
 *   teacher +0.048 / +0.202, +0.107 / +0.310, +0.060 / −0.071, −0.012 / +0.095, −0.012 / +0.036,
 *   +0.119 / +0.333, +0.131 / −0.119, +0.155 / +0.036, 0.000 / +0.036, +0.060 / −0.036, +0.095 / +0.131,
 *   +0.131 / +0.060, +0.167 / +0.167, +0.167 / +0.238, −0.024 / +0.048, +0.060 / −0.048, +0.095 / +0.071,
 *   +0.071 / +0.012, −0.083 / −0.143, −0.071 / +0.071: mean +0.063 [0.028, 0.099] / +0.071 [0.011, 0.132].
 * The batch mode is the evidence: with the rate 0 the student's gain there is exactly 0, and with the
 * teacher's momentum 1 (weights frozen at the start) the teacher's is (seed 1: 0.000), and this test goes
 * red. The running mode also gains from BatchNorm's running statistics alone, which a random start has at 0
 * and 1: +0.095 and +0.035 (seeds 1 and 4) for the student at the rate 0, +0.226 (seed 1) for the frozen
 * teacher, whose forward passes in training mode still gather them, as in main_dino.py.
 *
 * Why 20 seeds: over seeds 1–5 (the protocol until 6 Dec) the teacher gained +0.038 [−0.025, 0.101] /
 * +0.114 [−0.069, 0.297], and over 1–10 the student's running mode +0.104 [−0.014, 0.221]. After ~130 steps at
 * momentum 0.99 the teacher averages mostly early weights, so its gain is about half the student's. Longer
 * runs let it catch up (5 seeds, batch / running: 30 epochs +0.074 [0.002, 0.146] / +0.148 [−0.002, 0.297];
 * 50 epochs +0.105 [0.036, 0.174] / +0.145 [−0.011, 0.301]). At momentum 0.9 (S4MI's own value) the teacher
 * gains +0.114 in batch mode over seeds 1–5, but the quick official run of dino.test.ts then collapses to one
 * prototype (the teacher's entropy 0.26 of log 256), so the quick preset keeps 0.99 and fine-tunes the
 * student, the larger gain. A base momentum between (12 epochs, seeds 1–5) did not help either: 0.97
 * teacher +0.060 [−0.030, 0.149] / +0.126 [−0.009, 0.261], student +0.105 [−0.003, 0.212]; 0.95 teacher
 * +0.079 [−0.006, 0.163] / +0.124 [−0.022, 0.270], student +0.098 [0.006, 0.189].
 *
 * Before 5 Dec this probe ran on constructed images (a stripe or disc shape in random colours, 16 px): there
 * neither DINO nor the same recipe in PyTorch beat the random start (dinoReference.test.ts), both teachers
 * going towards uniform. The demo's lesions, whose diagnosis shows in colour, border and texture, are what
 * DINO's invariances can learn from; a random backbone already scores 0.63–0.81 on them.
 *
 * About 14 minutes, so with S4MI_SSL_PROBE=1 (npm run test:ssl-probe), not in npm test.
 */
const enabled = process.env.S4MI_SSL_PROBE === '1'
const { seeds: SEEDS, epochs: EPOCHS } = PROBE_PROTOCOL

type Mode = 'batch' | 'running'
const MODES: Mode[] = ['batch', 'running']
type Network = 'student' | 'teacher'
const NETWORKS: Network[] = ['student', 'teacher']

describe.runIf(enabled)('k-NN probe after a short DINO pretraining, on the multi-class demo', () => {
  const probeImages = probeImagesForSuite()

  it('the student and the teacher beat their random start, in both BatchNorm modes', async () => {
    const images = probeImages()
    const gains: Record<Network, Record<Mode, number[]>> = {
      student: { batch: [], running: [] },
      teacher: { batch: [], running: [] },
    }
    for (const seed of SEEDS) {
      const probe = (state: TrainState | null, mode: Mode) =>
        knnAccuracy(embedImages('resnet_tiny', images.probe, state, seed, mode), images.labels)
      // One pretraining gives both networks: the last epoch's checkpoint holds the student and the teacher.
      let last: TrainState = {}
      await pretrainDino({
        images: images.unlabelled,
        backbone: 'resnet_tiny',
        preset: 'quick',
        seed,
        hyper: { epochs: EPOCHS },
        checkpoint: {
          save: async (_epoch, state) => void (last = state),
          restore: async () => null,
        },
      })
      for (const network of NETWORKS) {
        const state = stripPrefix(last, `${network}.backbone.`)
        expect(Object.keys(state).length, `the ${network} in the last checkpoint`).toBeGreaterThan(0)
        for (const mode of MODES) gains[network][mode].push(probe(state, mode) - probe(null, mode))
      }
      console.log(
        `DINO seed ${seed}, gain over the random start (batch / running statistics): ` +
          `student ${gains.student.batch.at(-1)!.toFixed(3)} / ${gains.student.running.at(-1)!.toFixed(3)}, ` +
          `teacher ${gains.teacher.batch.at(-1)!.toFixed(3)} / ${gains.teacher.running.at(-1)!.toFixed(3)}`,
      )
    }
    const ci = (network: Network, mode: Mode) => meanConfidenceInterval(gains[network][mode])
    console.log(
      `DINO k-NN gain, mean [95 % CI] over ${SEEDS.length} seeds: student ${signedInterval(ci('student', 'batch'))} / ` +
        `${signedInterval(ci('student', 'running'))}; teacher ${signedInterval(ci('teacher', 'batch'))} / ` +
        `${signedInterval(ci('teacher', 'running'))} (batch / running)`,
    )
    for (const network of NETWORKS)
      for (const mode of MODES) expect(ci(network, mode).lower, `${network}, ${mode}`).toBeGreaterThan(0)
  }, 1_800_000)
})
