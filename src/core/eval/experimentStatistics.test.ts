import { describe, expect, it } from 'vitest'
import type { ExperimentCell } from '../../shared/experiments'
import { cellComparisons, cellStatistics, compareCells, type ScoredRun } from './experimentStatistics'

const supervised = (labelFraction: number): ExperimentCell => ({
  task: 'segmentation',
  method: 'supervised',
  backbone: null,
  labelFraction,
})
const crossTeaching = (labelFraction: number): ExperimentCell => ({
  ...supervised(labelFraction),
  method: 'cross-teaching',
})

let nextId = 1
function run(cell: ExperimentCell, seed: number, value: number, over: Partial<ScoredRun> = {}): ScoredRun {
  return {
    runId: nextId++,
    cell,
    seed,
    identity: `${cell.method}-${cell.labelFraction}-${seed}`,
    datasetVersion: `set-${cell.labelFraction}-${seed}`,
    backend: 'wasm (cpu)',
    value,
    ...over,
  }
}

const names = (c: ExperimentCell) => (c.method === 'supervised' ? 'Supervised U-Net' : 'Cross teaching')

describe('experiment statistics', () => {
  it('counts a seed once: a second run with the same identity is a repeat, not a fourth seed', () => {
    const runs = [
      run(supervised(0.5), 0, 0.5),
      run(supervised(0.5), 0, 0.5),
      run(supervised(0.5), 1, 0.6),
      run(supervised(0.5), 2, 0.7),
    ]
    const [cell] = cellStatistics('testIou', runs)
    expect(cell.n).toBe(3)
    expect(cell.counted.map((c) => c.seed)).toEqual([0, 1, 2])
    expect(cell.repeats).toEqual([
      expect.objectContaining({ seed: 0, repeatOf: runs[0].runId, agrees: true }),
    ])
    // mean 0.6, sd 0.1, t(0.975, 2) = 4.302652729911275: half width 4.3027 · 0.1 / √3.
    expect(cell.mean).toBeCloseTo(0.6, 12)
    expect(cell.std).toBeCloseTo(0.1, 12)
    expect(cell.interval!.halfWidth).toBeCloseTo((4.302652729911275 * 0.1) / Math.sqrt(3), 9)
    expect(cell.intervalNote).toBeNull()
  })

  it('says a repeat disagrees when it scored differently (a reproducibility failure, shown)', () => {
    const runs = [run(supervised(1), 0, 0.5587), run(supervised(1), 0, 0.5204)]
    runs[1].identity = runs[0].identity
    const [cell] = cellStatistics('testIou', runs)
    expect(cell.n).toBe(1)
    expect(cell.mean).toBe(0.5587)
    expect(cell.repeats[0].agrees).toBe(false)
  })

  it('sets aside a run of a counted seed with other labels, saying so', () => {
    const runs = [
      run(supervised(1), 0, 0.5),
      run(supervised(1), 0, 0.9, { datasetVersion: 'relabelled', identity: 'relabelled' }),
    ]
    const [cell] = cellStatistics('testIou', runs)
    expect(cell.n).toBe(1)
    expect(cell.excluded[0].reason).toMatch(/other labels than run/)
  })

  it('gives no interval below three seeds and says why', () => {
    const [two] = cellStatistics('testIou', [run(supervised(1), 0, 0.5), run(supervised(1), 1, 0.7)])
    expect(two).toMatchObject({
      n: 2,
      interval: null,
      intervalNote: 'interval not meaningful: n = 2 seeds (needs 3)',
    })
    expect(two.mean).toBeCloseTo(0.6, 12)
    const [one] = cellStatistics('testIou', [run(supervised(1), 0, 0.5)])
    expect(one).toMatchObject({ n: 1, std: null, interval: null })
  })

  it('states from the intervals whether one method is above another, paired where seeds and sets match', () => {
    const low = [0.5, 0.52, 0.51].map((v, s) => run(supervised(0.5), s, v))
    const high = [0.7, 0.71, 0.72].map((v, s) =>
      run(crossTeaching(0.5), s, v, { datasetVersion: `set-0.5-${s}` }),
    )
    const [ct, sup] = cellStatistics('testIou', [...low, ...high])
    expect(ct.method).toBe('cross-teaching')
    const c = compareCells(ct, sup, names)
    expect(c.verdict).toBe('higher')
    expect(c.paired).toBe(true)
    expect(c.difference!.mean).toBeCloseTo(0.2, 12)
    expect(c.statement).toMatch(
      /^Cross teaching at 50 % ≥ Supervised U-Net at 50 %: yes \(paired over 3 seeds/,
    )
    expect(compareCells(sup, ct, names).verdict).toBe('lower')
  })

  it('judges paired cells by their differences: overlapping intervals can still differ clearly', () => {
    // Each seed's labelled set moves both methods alike (0.3, 0.5, 0.7); cross teaching is 0.05 above on every
    // one. The cells' own intervals overlap widely; the differences' interval is far from 0.
    const sup = [0.3, 0.5, 0.7].map((v, s) => run(supervised(0.5), s, v))
    const ct = [0.35, 0.56, 0.74].map((v, s) => run(crossTeaching(0.5), s, v))
    const [a, b] = cellStatistics('testIou', [...sup, ...ct])
    expect(a.method).toBe('cross-teaching')
    expect(a.interval!.lower).toBeLessThan(b.interval!.upper)
    const c = compareCells(a, b, names)
    expect(c.paired).toBe(true)
    expect(c.verdict).toBe('higher')
    expect(c.difference!.lower).toBeGreaterThan(0)
    expect(c.statement).toMatch(
      /^Cross teaching at 50 % ≥ Supervised U-Net at 50 %: yes \(paired over 3 seeds, difference \+0\.050 \[0\.\d{3}, 0\.\d{3}\], above 0\); 0\.550 \[/,
    )
    expect(compareCells(b, a, names).verdict).toBe('lower')
  })

  it('calls overlapping intervals not distinguishable, and refuses to judge below three seeds', () => {
    const a = [0.5, 0.6, 0.7].map((v, s) => run(crossTeaching(0.5), s, v))
    const b = [0.55, 0.65, 0.6].map((v, s) => run(supervised(1), s, v))
    const cells = cellStatistics('testIou', [...a, ...b])
    const comparisons = cellComparisons(cells, names)
    // Cross teaching at 50 % against supervised at 100 %; nothing at a shared fraction.
    expect(comparisons).toHaveLength(1)
    expect(comparisons[0].verdict).toBe('overlap')
    // Paired by seed (the same seeds; at another fraction, another set): the differences straddle 0.
    expect(comparisons[0].statement).toMatch(
      /^Cross teaching at 50 % ≥ Supervised U-Net at 100 %: not distinguishable \(paired over 3 seeds, difference [+-]0\.000 \[-?0\.\d{3}, 0\.\d{3}\], which includes 0\)/,
    )
    const few = cellStatistics('testIou', [run(crossTeaching(1), 0, 0.9), run(supervised(1), 0, 0.1)])
    const judged = compareCells(few[0], few[1], names)
    expect(judged.verdict).toBe('not meaningful')
    expect(judged.statement).toMatch(
      /cannot say \(n = 1 for Cross teaching at 100 %, n = 1 for Supervised U-Net/,
    )
  })

  it('says no when paired differences lie below 0, and judges unpaired cells by their separated intervals', () => {
    const sup = [0.3, 0.5, 0.7].map((v, s) => run(supervised(0.5), s, v))
    const ct = [0.25, 0.44, 0.66].map((v, s) => run(crossTeaching(0.5), s, v))
    const [a, b] = cellStatistics('testIou', [...sup, ...ct])
    const lower = compareCells(a, b, names)
    expect(lower.verdict).toBe('lower')
    expect(lower.statement).toMatch(
      /: no \(paired over 3 seeds, difference -0\.050 \[-0\.\d{3}, -0\.\d{3}\], below 0\)/,
    )
    // Other seeds (3–5 against 0–2): not paired, so the cells' own intervals decide.
    const high = [0.8, 0.81, 0.82].map((v, s) => run(crossTeaching(0.3), s + 3, v))
    const low = [0.5, 0.51, 0.52].map((v, s) => run(supervised(0.3), s, v))
    const [h, l] = cellStatistics('testIou', [...high, ...low])
    const above = compareCells(h, l, names)
    expect(above.paired).toBe(false)
    expect(above.difference).toBeNull()
    expect(above.verdict).toBe('higher')
    expect(above.statement).toMatch(/: yes \(0\.810 \[.*\] lies above 0\.510 \[.*\]\); not paired/)
    const below = compareCells(l, h, names)
    expect(below.verdict).toBe('lower')
    expect(below.statement).toMatch(/: no \(0\.510 \[.*\] lies below 0\.810 \[.*\]\); not paired/)
  })

  it('compares rows at each fraction once, and each cell below 100 % with the others at 100 %, no more', () => {
    const cells = cellStatistics('testIou', [
      ...[0.3, 0.5, 1].flatMap((f) => [0, 1, 2].map((s) => run(supervised(f), s, 0.5 + s / 10))),
      ...[0.3, 0.5, 1].flatMap((f) => [0, 1, 2].map((s) => run(crossTeaching(f), s, 0.6 + s / 10))),
    ])
    // A classifier's cell is never compared with segmentation's.
    const classifier = {
      task: 'classification',
      method: 'supervised',
      backbone: 'resnet_tiny',
      labelFraction: 1,
    } as const
    cells.push(
      ...cellStatistics(
        'testIou',
        [0, 1, 2].map((s) => run(classifier, s, 0.4)),
      ),
    )
    const asked = cellComparisons(cells, names).map(
      (c) => `${names(c.a)} ${c.a.labelFraction} ≥ ${names(c.b)} ${c.b.labelFraction}`,
    )
    expect(asked.sort()).toEqual(
      [
        // The same fraction, once per pair of rows.
        'Cross teaching 0.3 ≥ Supervised U-Net 0.3',
        'Cross teaching 0.5 ≥ Supervised U-Net 0.5',
        'Cross teaching 1 ≥ Supervised U-Net 1',
        // Below full labels against another row at 100 %, both ways round.
        'Cross teaching 0.3 ≥ Supervised U-Net 1',
        'Cross teaching 0.5 ≥ Supervised U-Net 1',
        'Supervised U-Net 0.3 ≥ Cross teaching 1',
        'Supervised U-Net 0.5 ≥ Cross teaching 1',
      ].sort(),
    )
  })

  it('does not pair cells whose seeds drew different labelled sets, or that have other seeds', () => {
    // Seed 0 drew the same set for both; seeds 1 and 2 did not: one differing set is enough.
    const a = [0.5, 0.6, 0.7].map((v, s) =>
      run(crossTeaching(0.5), s, v, { datasetVersion: s === 0 ? 'set-0.5-0' : `x${s}` }),
    )
    const b = [0.55, 0.65, 0.6].map((v, s) => run(supervised(0.5), s, v))
    const [ct, sup] = cellStatistics('testIou', [...a, ...b])
    const c = compareCells(ct, sup, names)
    expect(c.paired).toBe(false)
    expect(c.difference).toBeNull()
    expect(c.verdict).toBe('overlap')
    expect(c.statement).toMatch(/: not distinguishable \(intervals overlap: .*\); not paired/)
    // At different fractions the sets differ anyway; then the seeds decide: 3–5 against 0–2 is not paired.
    const later = [0.5, 0.6, 0.7].map((v, s) => run(crossTeaching(0.3), s + 3, v))
    const full = [0.55, 0.65, 0.6].map((v, s) => run(supervised(1), s, v))
    const [x, y] = cellStatistics('testIou', [...later, ...full])
    expect(compareCells(x, y, names).paired).toBe(false)
    // Three seeds against one: no interval for one cell, so no verdict.
    const [three, one] = cellStatistics('testIou', [...later, run(supervised(1), 3, 0.6)])
    const unjudged = compareCells(three, one, names)
    expect(unjudged.verdict).toBe('not meaningful')
    expect(unjudged.statement).toMatch(/: cannot say \(n = 1 for Supervised U-Net at 100 %; .*\); not paired/)
  })
})
