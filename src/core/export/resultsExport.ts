import { evaluationMetric, evaluationMetricsOf, HEADLINE_METRIC } from '../../shared/evaluationMetrics'
import type { ResultsCell, ResultsTable, RunSummary } from '../../shared/training'
import { MIN_SEEDS_FOR_INTERVAL } from '../eval/experimentStatistics'
import { comparesWithTrivialAnswer } from '../../shared/trivialAnswer'

/**
 * The results as a lab publishes them: every run as a CSV row, the method × label-fraction table as
 * Markdown or LaTeX (booktabs, mean ± 95 % CI over seeds, the best of each column in bold), or all of it
 * as JSON. The pane's export buttons and `s4mi results` write exactly these.
 */

export type ResultsFormat = 'csv' | 'md' | 'latex' | 'json'

export interface ResultsReport {
  project: string
  task: 'segmentation' | 'classification'
  runs: RunSummary[]
  table: ResultsTable
  /** A method's name for people ('Cross teaching'). */
  methodName(id: string): string
}

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One row per run: what it was, how it ran, and every evaluation metric it stored (blank where it has none). */
export function runsCsv(report: ResultsReport): string {
  const metrics = evaluationMetricsOf(
    report.runs.flatMap((r) => Object.keys(r.final)),
    report.task,
  )
  const head = [
    'run',
    'task',
    'method',
    'method_name',
    'backbone',
    'preset',
    'label_fraction',
    'seed',
    'status',
    'hidden',
    'backend',
    'dataset_version',
    'queued_at',
    'started_at',
    'finished_at',
    ...metrics,
  ]
  const rows = report.runs.map((r) => [
    r.id,
    r.task,
    r.method,
    report.methodName(r.method),
    r.backbone,
    r.preset,
    r.labelFraction,
    r.seed,
    r.status,
    r.hidden,
    r.backend,
    r.datasetVersion,
    r.createdAt,
    r.startedAt,
    r.finishedAt,
    ...metrics.map((m) => r.final[m]),
  ])
  return [head, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n'
}

interface Layout {
  metric: string
  fractions: number[]
  rows: { method: string; backbone: string }[]
  cell(method: string, backbone: string, f: number): ResultsCell | undefined
  best(f: number): ResultsCell[]
}

function layout(table: ResultsTable, metric: string): Layout {
  const cells = table.cells.filter((c) => c.metric === metric)
  const fractions = [...new Set(cells.map((c) => c.labelFraction))].sort((a, b) => a - b)
  const rows = [...new Map(cells.map((c) => [`${c.method}\u0000${c.backbone}`, c])).values()].map((c) => ({
    method: c.method,
    backbone: c.backbone,
  }))
  const find = (m: string, b: string, f: number) =>
    cells.find((c) => c.method === m && c.backbone === b && c.labelFraction === f)
  return {
    metric,
    fractions,
    rows,
    cell: find,
    best: (f) => {
      const column = cells.filter((c) => c.labelFraction === f)
      if (column.length < 2) return []
      const top = Math.max(...column.map((c) => c.mean))
      return column.filter((c) => c.mean === top)
    },
  }
}

function fractionHeading(f: number): string {
  return f < 0 ? 'as labelled' : `${Math.round(f * 1000) / 10} %`
}

export function tableMetric(report: ResultsReport, metric?: string): string {
  const m = metric ?? HEADLINE_METRIC[report.task]
  const known = evaluationMetric(m)
  if (!known || known.task !== report.task)
    throw new Error(
      `metric: "${m}" is not an evaluation metric of ${report.task} (known here: ${evaluationMetricsOf(
        report.table.cells.map((c) => c.metric),
        report.task,
      ).join(', ')})`,
    )
  return m
}

function cellText(c: ResultsCell, pm: string): string {
  if (c.n < 2) return `${c.mean.toFixed(4)} (n = 1)`
  // Below three seeds the interval says little: the tables mark it instead of trusting it.
  return `${c.mean.toFixed(4)} ${pm} ${c.ci95.toFixed(4)}${c.intervalNote ? '†' : ''}`
}

function footnote(l: Layout, report: ResultsReport): string {
  const m = evaluationMetric(l.metric)!
  const few = report.table.cells.some((c) => c.metric === l.metric && c.n > 1 && c.intervalNote)
  return [
    `${m.label}: ${m.definition} Mean ± half width of the 95 % Student-t interval over seeds; best of each column in bold.`,
    few ? `† fewer than ${MIN_SEEDS_FOR_INTERVAL} seeds: the interval is not meaningful.` : '',
    constantAnswer(l.metric, report),
  ]
    .filter(Boolean)
    .join(' ')
}

/** F1 (macro) tables: what the best constant answer scores on the same test images (shared/trivialAnswer.ts). */
function constantAnswer(metric: string, report: ResultsReport): string {
  const answers = report.table.trivialAnswers
  if (!comparesWithTrivialAnswer(metric) || !answers.length) return ''
  if (answers.length === 1) {
    const [t] = answers
    return `The best constant answer, ${t.answer}, scores ${t.f1Macro.toFixed(4)} on the same test images.`
  }
  const scores = answers.map((t) => t.f1Macro)
  return `The best constant answer scores ${Math.min(...scores).toFixed(4)}–${Math.max(...scores).toFixed(4)}, depending on the runs' test images.`
}

/** The paper's Table 1 as Markdown: rows method × backbone, columns label fractions. */
export function resultsMarkdown(report: ResultsReport, metric?: string): string {
  const l = layout(report.table, tableMetric(report, metric))
  const esc = (s: string) => s.replace(/\|/g, '\\|')
  const lines = [
    `| Method | Backbone | ${l.fractions.map(fractionHeading).join(' | ')} |`,
    `|---|---|${l.fractions.map(() => '---:').join('|')}|`,
  ]
  for (const r of l.rows) {
    const cells = l.fractions.map((f) => {
      const c = l.cell(r.method, r.backbone, f)
      if (!c) return '—'
      const text = cellText(c, '±')
      return l.best(f).includes(c) ? `**${text}**` : text
    })
    lines.push(`| ${esc(report.methodName(r.method))} | ${esc(r.backbone)} | ${cells.join(' | ')} |`)
  }
  return `${lines.join('\n')}\n\n${footnote(l, report)}\n`
}

function latexEscape(s: string): string {
  return s.replace(/[\\&%$#_{}~^]/g, (ch) =>
    ch === '\\'
      ? '\\textbackslash{}'
      : ch === '~'
        ? '\\textasciitilde{}'
        : ch === '^'
          ? '\\textasciicircum{}'
          : `\\${ch}`,
  )
}

/** The same table for a paper: LaTeX with booktabs rules, mean $\pm$ CI, the best of each column in bold. */
export function resultsLatex(report: ResultsReport, metric?: string): string {
  const l = layout(report.table, tableMetric(report, metric))
  const lines = [
    '% Needs \\usepackage{booktabs}.',
    '\\begin{table}[t]',
    '\\centering',
    `\\caption{${latexEscape(footnote(l, report)).replace('†', '$^\\dagger$')}}`,
    `\\begin{tabular}{ll${'r'.repeat(l.fractions.length)}}`,
    '\\toprule',
    `Method & Backbone & ${l.fractions.map((f) => latexEscape(fractionHeading(f)).replace(' \\%', '\\,\\%')).join(' & ')} \\\\`,
    '\\midrule',
  ]
  for (const r of l.rows) {
    const cells = l.fractions.map((f) => {
      const c = l.cell(r.method, r.backbone, f)
      if (!c) return '--'
      const text = cellText(c, '$\\pm$').replace('†', '$^\\dagger$')
      return l.best(f).includes(c) ? `\\textbf{${text}}` : text
    })
    lines.push(
      `${latexEscape(report.methodName(r.method))} & ${latexEscape(r.backbone)} & ${cells.join(' & ')} \\\\`,
    )
  }
  lines.push('\\bottomrule', '\\end{tabular}', `\\label{tab:${l.metric}}`, '\\end{table}')
  return lines.join('\n') + '\n'
}

/** Everything as JSON: the runs, the table's cells, and each metric's definition. */
export function resultsJson(report: ResultsReport): string {
  const metrics = evaluationMetricsOf(
    [...report.runs.flatMap((r) => Object.keys(r.final)), ...report.table.cells.map((c) => c.metric)],
    report.task,
  ).map((n) => evaluationMetric(n)!)
  return (
    JSON.stringify(
      {
        project: report.project,
        task: report.task,
        metrics,
        runs: report.runs.map((r) => ({ ...r, methodName: report.methodName(r.method) })),
        table: report.table.cells,
      },
      null,
      2,
    ) + '\n'
  )
}

export const RESULTS_FORMATS: Record<ResultsFormat, { extension: string; mimeType: string }> = {
  csv: { extension: 'csv', mimeType: 'text/csv' },
  md: { extension: 'md', mimeType: 'text/markdown' },
  latex: { extension: 'tex', mimeType: 'application/x-tex' },
  json: { extension: 'json', mimeType: 'application/json' },
}

export function formatResults(report: ResultsReport, format: ResultsFormat, metric?: string): string {
  switch (format) {
    case 'csv':
      return runsCsv(report)
    case 'md':
      return resultsMarkdown(report, metric)
    case 'latex':
      return resultsLatex(report, metric)
    case 'json':
      return resultsJson(report)
  }
}
