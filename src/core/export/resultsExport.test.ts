import { describe, expect, it } from 'vitest'
import type { ResultsCell, RunSummary } from '../../shared/training'
import { meanConfidenceInterval } from '../eval/meanConfidenceInterval'
import { resultsJson, resultsLatex, resultsMarkdown, runsCsv, type ResultsReport } from './resultsExport'

const run = (
  id: number,
  method: string,
  labelFraction: number,
  seed: number,
  final: Record<string, number>,
) =>
  ({
    id,
    task: 'segmentation',
    method,
    backbone: method === 'supervised' ? 'U-Net' : 'U-Net + Swin-UNet',
    preset: 'quick',
    labelFraction,
    seed,
    status: 'succeeded',
    backend: 'wasm (cpu)',
    datasetVersion: 'abc',
    error: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:01:00.000Z',
    finishedAt: '2026-01-01T10:02:00.000Z',
    hidden: false,
    final,
    notes: [],
  }) satisfies RunSummary

const runs = [
  run(1, 'supervised', 0.5, 0, { testIou: 0.5, testDice: 0.6, kmeansLoss: 2 }),
  run(2, 'supervised', 0.5, 1, { testIou: 0.7, testDice: 0.8 }),
  run(3, 'supervised', 0.5, 2, { testIou: 0.6, testDice: 0.7 }),
  run(4, 'cross-teaching', 0.5, 0, { testIou: 0.8 }),
  run(5, 'cross-teaching', 0.5, 1, { testIou: 0.9 }),
  run(6, 'supervised', 1, 0, { testIou: 0.75 }),
]
/** The table's cells as eval/resultsTable groups them: by method, backbone, fraction and metric. */
function tableOf(rs: RunSummary[], metrics: string[]): ResultsCell[] {
  const groups = new Map<string, RunSummary[]>()
  for (const r of rs) {
    const key = `${r.method}|${r.backbone}|${r.labelFraction}`
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  return [...groups.values()].flatMap((g) =>
    metrics.flatMap((metric) => {
      const with_ = g.filter((r) => metric in r.final)
      if (!with_.length) return []
      const values = with_.map((r) => r.final[metric])
      const ci = meanConfidenceInterval(values)
      return [
        {
          method: g[0].method,
          backbone: g[0].backbone,
          labelFraction: g[0].labelFraction!,
          metric,
          n: values.length,
          mean: ci.mean,
          ci95: Number.isFinite(ci.halfWidth) ? ci.halfWidth : 0,
          intervalNote: values.length < 3 ? `interval not meaningful: n = ${values.length}` : null,
          values,
          runIds: with_.map((r) => r.id),
          repeats: 0,
          setAside: [],
        },
      ]
    }),
  )
}

const report: ResultsReport = {
  project: 'Demo, "skin"',
  task: 'segmentation',
  runs,
  table: { task: 'segmentation', cells: tableOf(runs, ['testIou', 'testDice']), trivialAnswers: [] },
  methodName: (id) => (id === 'supervised' ? 'Supervised U-Net' : 'Cross teaching'),
}

describe('results exports', () => {
  it('CSV: one row per run with every evaluation metric, blanks where a run has none, no losses', () => {
    const lines = runsCsv(report).trimEnd().split('\n')
    expect(lines).toHaveLength(1 + runs.length)
    const head = lines[0].split(',')
    expect(head.slice(-2)).toEqual(['testIou', 'testDice'])
    expect(head).not.toContain('kmeansLoss')
    const first = lines[1].split(',')
    expect(first[head.indexOf('run')]).toBe('1')
    expect(first[head.indexOf('method_name')]).toBe('Supervised U-Net')
    expect(first[head.indexOf('started_at')]).toBe('2026-01-01T10:01:00.000Z')
    expect(first[head.indexOf('testIou')]).toBe('0.5')
    expect(lines[4].split(',')[head.indexOf('testDice')]).toBe('')
  })

  it('Markdown: method × backbone rows, mean ± t-interval, best in bold, few seeds marked', () => {
    const md = resultsMarkdown(report)
    // Supervised at 50 %: mean 0.6, sd 0.1, t(0.975, 2) = 4.3027 → ± 0.2484.
    expect(md).toContain('| Supervised U-Net | U-Net | 0.6000 ± 0.2484 | 0.7500 (n = 1) |')
    // Cross teaching at 50 %: n = 2, the best of its column, marked as too few seeds for an interval.
    expect(md).toMatch(/\| Cross teaching \| U-Net \+ Swin-UNet \| \*\*0\.8500 ± 0\.6353†\*\* \| — \|/)
    expect(md).toContain('| Method | Backbone | 50 % | 100 % |')
    expect(md).toContain('test IoU (dataset-level)')
    expect(md).toMatch(/† fewer than 3 seeds/)
    expect(resultsMarkdown(report, 'testDice')).toContain('| Supervised U-Net | U-Net | 0.7000 ± 0.2484 |')
  })

  it('LaTeX: booktabs rules, $\\pm$, bold best, escaped text', () => {
    const tex = resultsLatex(report)
    for (const rule of ['\\toprule', '\\midrule', '\\bottomrule']) expect(tex).toContain(rule)
    expect(tex).toContain('\\begin{tabular}{llrr}')
    expect(tex).toContain('Method & Backbone & 50\\,\\% & 100\\,\\% \\\\')
    expect(tex).toContain('Supervised U-Net & U-Net & 0.6000 $\\pm$ 0.2484 & 0.7500 (n = 1) \\\\')
    expect(tex).toContain('\\textbf{0.8500 $\\pm$ 0.6353$^\\dagger$}')
    expect(tex).not.toMatch(/[^\\]%(?! Needs)/)
  })

  it('refuses a metric that is not an evaluation metric, naming the ones there are', () => {
    expect(() => resultsMarkdown(report, 'kmeansLoss')).toThrow(
      /"kmeansLoss" is not an evaluation metric.*testIou, testDice/,
    )
  })

  it('JSON: runs, cells and each metric with its definition', () => {
    const j = JSON.parse(resultsJson(report))
    expect(j.runs).toHaveLength(6)
    expect(
      j.table.find(
        (c: { method: string; metric: string }) => c.method === 'cross-teaching' && c.metric === 'testIou',
      ).n,
    ).toBe(2)
    expect(j.metrics.map((m: { name: string }) => m.name)).toEqual(['testIou', 'testDice'])
    expect(j.metrics[0].definition).toMatch(/TP \/ \(TP \+ FP \+ FN\)/)
  })

  it('F1 (macro) tables name the best constant answer on the same test images', () => {
    const cls = [1, 2].map((id) => ({
      ...run(id, 'supervised', 1, id, { testF1Macro: 0.8 + id / 100, testRecallMacro: 0.7 }),
      task: 'classification',
      backbone: 'ResNet-50',
    }))
    const nevus = { answer: 'always answering “nevus”', f1Macro: 0.18181818, runs: 2 }
    const classification = (trivialAnswers: ResultsReport['table']['trivialAnswers']): ResultsReport => ({
      ...report,
      task: 'classification',
      runs: cls,
      table: {
        task: 'classification',
        cells: tableOf(cls, ['testF1Macro', 'testRecallMacro']),
        trivialAnswers,
      },
    })
    const one = classification([nevus])
    expect(resultsMarkdown(one)).toContain(
      'The best constant answer, always answering “nevus”, scores 0.1818 on the same test images.',
    )
    expect(resultsLatex(one)).toMatch(/\\caption\{[^}]*always answering “nevus”, scores 0\.1818/)
    // Recall is not what the constant answer was chosen for: no sentence.
    expect(resultsMarkdown(one, 'testRecallMacro')).not.toContain('constant answer')
    const two = classification([nevus, { answer: 'always answering “melanoma”', f1Macro: 0.25, runs: 1 }])
    expect(resultsMarkdown(two)).toContain(
      "The best constant answer scores 0.1818–0.2500, depending on the runs' test images.",
    )
    expect(resultsMarkdown(classification([]))).not.toContain('constant answer')
  })
})
