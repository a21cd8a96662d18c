import { describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import { signedInterval } from '../../eval/experimentStatistics'
import { meanConfidenceInterval } from '../../eval/meanConfidenceInterval'
import { pretrainDino } from './dino'
import { dinoDefaults } from './dinoPresets'
import { PROBE_PROTOCOL, probeImagesForSuite } from './fixtures/demoProbeImages'
import { embedImages, knnAccuracy } from './fixtures/knnProbe'

/**
 * The issue's criterion for DINO: after a short pretraining, a k-NN probe on the frozen embedding beats the
 * same probe on the backbone's random start (the pretraining's own initial weights: the same seed). On the
 * multi-class demo, as the issue asks: its 84 training images (three diagnoses) at the quick preset's 32 px,
 * the quick preset's official recipe (DINO's convnet recipe for a ResNet) for 12 epochs, five seeds. Leave-
 * one-out k-NN (k = 5, cosine), BatchNorm normalised both by the probe images' own statistics ('batch') and
 * by the network's running statistics (eval_knn.py's 'running'). What is asserted: the paired 95 %
 * t-interval of (after − random start) over the seeds lies above 0, for the student in both modes.
 *
 * Measured 5 Dec (after − random start, batch / running): student s1 +0.155 / +0.214, s2 +0.083 / +0.298,
 * s3 +0.131 / +0.095, s4 +0.167 / +0.190, s5 +0.012 / −0.024: mean +0.110 [0.031, 0.188] / +0.155
 * [0.002, 0.308]. The batch mode is the evidence: with the rate 0 its gain is exactly 0 and this test goes
 * red, while the running mode still gains (+0.095 and +0.035 on seeds 1 and 4) from BatchNorm's running
 * statistics alone, which a random start has at 0 and 1. The teacher, which DINO's own evaluation reads
 * (eval_knn.py) and the paper preset keeps, is printed, not asserted: after ~130 steps at momentum 0.99
 * it averages mostly early weights, and it does NOT meet the criterion at this length: +0.038 [−0.025, 0.101] / +0.114
 * [−0.069, 0.297] (s1 +0.048 / +0.202, s2 +0.107 / +0.310, s3 +0.060 / −0.071, s4 −0.012 / +0.095,
 * s5 −0.012 / +0.036). At momentum 0.9 (S4MI's own value) the teacher gains +0.114 in batch mode over the
 * same seeds, but the quick official run of dino.test.ts then collapses to one prototype (the teacher's
 * entropy 0.26 of log 256), so the quick preset keeps 0.99 and fine-tunes the student instead. Longer runs
 * (measured 6 Dec, same seeds) let the teacher catch up in batch mode, not yet in running mode: 30 epochs
 * +0.074 [0.002, 0.146] / +0.148 [−0.002, 0.297]; 50 epochs +0.105 [0.036, 0.174] / +0.145 [−0.011, 0.301].
 * A base momentum between (12 epochs, 6 Dec) does not get both: 0.97 teacher +0.060 [−0.030, 0.149] /
 * +0.126 [−0.009, 0.261], student +0.105 [−0.003, 0.212]; 0.95 teacher +0.079 [−0.006, 0.163] / +0.124
 * [−0.022, 0.270], student +0.098 [0.006, 0.189].
 *
 * Before 5 Dec this probe ran on constructed images (a stripe or disc shape in random colours, 16 px): there
 * neither DINO nor the same recipe in PyTorch beat the random start (dinoReference.test.ts), both teachers
 * going towards uniform. The demo's lesions, whose diagnosis shows in colour, border and texture, are what
 * DINO's invariances can learn from; a random backbone already scores 0.63–0.81 on them.
 *
 * About six minutes, so with S4MI_SSL_PROBE=1 (npm run test:ssl-probe), not in npm test.
 */
const enabled = process.env.S4MI_SSL_PROBE === '1'
const { seeds: SEEDS, epochs: EPOCHS } = PROBE_PROTOCOL

type Mode = 'batch' | 'running'
const MODES: Mode[] = ['batch', 'running']

describe.runIf(enabled)('k-NN probe after a short DINO pretraining, on the multi-class demo', () => {
  const probeImages = probeImagesForSuite()

  it('the student beats its random start over five seeds, in both BatchNorm modes', async () => {
    const images = probeImages()
    const gains: Record<'student' | 'teacher', Record<Mode, number[]>> = {
      student: { batch: [], running: [] },
      teacher: { batch: [], running: [] },
    }
    for (const seed of SEEDS) {
      const probe = (state: TrainState | null, mode: Mode) =>
        knnAccuracy(embedImages('resnet_tiny', images.probe, state, seed, mode), images.labels)
      for (const keep of ['student', 'teacher'] as const) {
        const r = await pretrainDino({
          images: images.unlabelled,
          backbone: 'resnet_tiny',
          preset: 'quick',
          seed,
          hyper: { epochs: EPOCHS, keep },
        })
        for (const mode of MODES) gains[keep][mode].push(probe(r.state, mode) - probe(null, mode))
      }
      console.log(
        `DINO seed ${seed}, gain over the random start (batch / running statistics): ` +
          `student ${gains.student.batch.at(-1)!.toFixed(3)} / ${gains.student.running.at(-1)!.toFixed(3)}, ` +
          `teacher ${gains.teacher.batch.at(-1)!.toFixed(3)} / ${gains.teacher.running.at(-1)!.toFixed(3)}`,
      )
    }
    const ci = (keep: 'student' | 'teacher', mode: Mode) => meanConfidenceInterval(gains[keep][mode])
    console.log(
      `DINO k-NN gain, mean [95 % CI] over ${SEEDS.length} seeds: student ${signedInterval(ci('student', 'batch'))} / ` +
        `${signedInterval(ci('student', 'running'))}; teacher ${signedInterval(ci('teacher', 'batch'))} / ` +
        `${signedInterval(ci('teacher', 'running'))} (teacher: not asserted, see above)`,
    )
    for (const mode of MODES) expect(ci('student', mode).lower, mode).toBeGreaterThan(0)
    // What the quick preset fine-tunes from is the network that meets the criterion.
    expect(dinoDefaults('quick', 'official', 'resnet_tiny').keep).toBe('student')
  }, 1_800_000)
})
