import fs from 'node:fs'
import path from 'node:path'
import type { Subset } from '../../shared/types'
import { lesionDatasetPlan, type ImportPlan, type Preprocess } from './importPlan'
import { listFolder, NOT_UTF8_NAME } from '../store/folderEntries'
import { insideFolder } from './insideFolder'
import { readCsvFile } from './readCsv'

/** Folder-name part of each official subset, as the challenge distributes them. */
const SUBSETS: [string, Subset][] = [
  ['Training', 'train'],
  ['Validation', 'val'],
  ['Test_v2', 'test'],
]
/** Part 3's two columns; both 0 means nevus, giving the three classes of the challenge. */
export const ISIC2017_CLASSES = ['melanoma', 'seborrheic_keratosis', 'nevus']

const IMAGE_NAME = /^(ISIC_\d{7})\.jpg$/
const MASK_NAME = /^(ISIC_\d{7})_segmentation\.png$/
const SKIPPED = /(_superpixels\.png|\.csv)$/

function isDir(root: string, rel: string): string | null {
  const r = insideFolder(root, rel)
  return 'file' in r && fs.statSync(r.file).isDirectory() ? r.file : null
}

/**
 * ISIC-2017 as distributed: `ISIC-2017_{Training,Validation,Test_v2}_Data/` (ISIC_nnnnnnn.jpg beside
 * superpixel PNGs and a metadata CSV, both skipped), `…_Part1_GroundTruth/` (ISIC_nnnnnnn_segmentation.png)
 * and `…_Part3_GroundTruth.csv` (image_id,melanoma,seborrheic_keratosis). The official split is kept.
 */
export function scanIsic2017(root: string, preprocess: Preprocess = 'resize'): ImportPlan {
  const plan = lesionDatasetPlan(ISIC2017_CLASSES, preprocess)
  const { problems } = plan
  let found = 0
  for (const [part, subset] of SUBSETS) {
    const dataRel = `ISIC-2017_${part}_Data`
    const gtRel = `ISIC-2017_${part}_Part1_GroundTruth`
    const csvRel = `ISIC-2017_${part}_Part3_GroundTruth.csv`
    const dataDir = isDir(root, dataRel)
    if (!dataDir) continue
    found++
    const images = new Map<string, string>()
    for (const e of listFolder(dataDir)) {
      const rel = `${dataRel}/${e.name}`
      if (e.name.startsWith('.') || (e.kind === 'file' && SKIPPED.test(e.name))) continue
      const m = IMAGE_NAME.exec(e.name)
      if (e.badName) problems.push({ file: rel, problem: NOT_UTF8_NAME })
      else if (e.kind === 'symlink') problems.push({ file: rel, problem: 'is a symbolic link (refused)' })
      else if (e.kind !== 'file' || !m)
        problems.push({ file: rel, problem: 'is not an ISIC_nnnnnnn.jpg image' })
      else images.set(m[1], e.name)
    }
    const masks = new Map<string, string>()
    const gtDir = isDir(root, gtRel)
    if (!gtDir) problems.push({ file: `${gtRel}/`, problem: `missing: the masks for ${dataRel}` })
    else {
      for (const e of listFolder(gtDir)) {
        const rel = `${gtRel}/${e.name}`
        if (e.name.startsWith('.')) continue
        const m = MASK_NAME.exec(e.name)
        if (e.badName) problems.push({ file: rel, problem: NOT_UTF8_NAME })
        else if (e.kind === 'symlink') problems.push({ file: rel, problem: 'is a symbolic link (refused)' })
        else if (e.kind !== 'file' || !m)
          problems.push({ file: rel, problem: 'is not an ISIC_nnnnnnn_segmentation.png mask' })
        else if (!images.has(m[1]))
          problems.push({ file: rel, problem: `mask has no image ${m[1]}.jpg in ${dataRel}` })
        else masks.set(m[1], e.name)
      }
      for (const [id, name] of images) {
        if (!masks.has(id))
          problems.push({
            file: `${dataRel}/${name}`,
            problem: `has no mask ${id}_segmentation.png in ${gtRel}`,
          })
      }
    }
    const labels = new Map<string, string>()
    const csv = insideFolder(root, csvRel)
    if ('problem' in csv)
      problems.push({
        file: csvRel,
        problem: csv.problem === 'file not found' ? 'missing: the labels' : csv.problem,
      })
    else {
      let table: string[][] | null = null
      try {
        table = readCsvFile(csv.file)
      } catch (e) {
        problems.push({ file: csvRel, problem: `cannot be read: ${(e as Error).message}` })
      }
      const [header, ...rows] = table ?? []
      const col = (name: string) => (header ?? []).map((h) => h.trim()).indexOf(name)
      const [ci, cm, cs] = [col('image_id'), col('melanoma'), col('seborrheic_keratosis')]
      if (table === null) {
        // Said above: the file could not be read.
      } else if (ci < 0 || cm < 0 || cs < 0) {
        problems.push({
          file: csvRel,
          problem: 'header must have image_id, melanoma and seborrheic_keratosis',
        })
      } else {
        rows.forEach((row, r) => {
          const where = `${csvRel} row ${r + 2}`
          const id = (row[ci] ?? '').trim()
          const mel = Number(row[cm])
          const sk = Number(row[cs])
          if (!images.has(id))
            problems.push({ file: where, problem: `names ${JSON.stringify(id)}, which is not in ${dataRel}` })
          else if (labels.has(id)) problems.push({ file: where, problem: `labels ${id} a second time` })
          else if (
            ![0, 1].includes(mel) ||
            ![0, 1].includes(sk) ||
            row[cm].trim() === '' ||
            row[cs].trim() === ''
          ) {
            problems.push({ file: where, problem: 'melanoma and seborrheic_keratosis must be 0 or 1' })
          } else if (mel === 1 && sk === 1)
            problems.push({ file: where, problem: 'is both melanoma and seborrheic keratosis' })
          else labels.set(id, mel === 1 ? 'melanoma' : sk === 1 ? 'seborrheic_keratosis' : 'nevus')
        })
        for (const [id, name] of images) {
          if (!labels.has(id))
            problems.push({ file: `${dataRel}/${name}`, problem: `is missing from ${csvRel}` })
        }
      }
    }
    for (const [id, name] of images) {
      const m = masks.get(id)
      plan.items.push({
        file: path.join(dataDir, name),
        name: `${dataRel}/${name}`,
        maskFile: m && gtDir ? path.join(gtDir, m) : null,
        maskName: m ? `${gtRel}/${m}` : null,
        labels: labels.has(id) ? [labels.get(id) as string] : null,
        officialSplit: subset,
      })
    }
  }
  if (found === 0) {
    problems.push({ file: root, problem: 'holds no ISIC-2017_{Training,Validation,Test_v2}_Data folder' })
  }
  return plan
}
