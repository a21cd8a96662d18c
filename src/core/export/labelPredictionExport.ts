import fs from 'node:fs'
import path from 'node:path'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import { runLabelPredictions } from '../store/labelPredictions'
import type { Project } from '../store/project'
import { csvField } from './annotationExport'
import { writeExportFolder } from './exportFolder'

/** The file a classification run's predictions are written to. */
export const LABEL_PREDICTIONS_FILE = 'label-predictions.csv'

/**
 * A classification run's predictions as CSV: one row per image it predicted, the labels it predicts (`;`
 * between labels, empty when a multi-label run predicts none) and one probability column per class, in the
 * project's class order, beside the annotation export's labels.csv. The folder is written as
 * exportFolder.ts says (new or empty, or replaced with `overwrite`).
 */
export async function exportLabelPredictions(
  project: Project,
  runId: number,
  folder: string,
  predicted: Map<number, { className: string }[]>,
  overwrite = false,
): Promise<{ written: number }> {
  const rows = runLabelPredictions(project, runId)
  if (rows.length === 0) throw new Error(`Run ${runId} has no stored predictions`)
  const classes = listClasses(project)
  const names = new Map(listImages(project).map((i) => [i.id, i.name]))
  const lines = [['image', 'predicted', ...classes.map((c) => `p(${c.name})`)].map(csvField).join(',')]
  for (const r of rows) {
    const p = new Map(r.probabilities.map((c) => [c.classId, c.probability]))
    lines.push(
      [
        csvField(names.get(r.imageId) ?? `image-${r.imageId}`),
        csvField((predicted.get(r.imageId) ?? []).map((l) => l.className).join(';')),
        ...classes.map((c) => (p.has(c.id) ? p.get(c.id)!.toFixed(6) : '')),
      ].join(','),
    )
  }
  return writeExportFolder(folder, overwrite, async (into) => {
    fs.mkdirSync(into, { recursive: true })
    fs.writeFileSync(path.join(into, LABEL_PREDICTIONS_FILE), `${lines.join('\n')}\n`)
    return { written: rows.length }
  })
}
