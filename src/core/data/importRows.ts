import type { Subset } from '../../shared/types'
import { addClass, classByName, listClasses } from '../store/classes'
import { insertImage, insertTile } from '../store/images'
import { setImageLabels } from '../store/labels'
import { addMaskClass, largestMaskValue, linkLabelToMaskClass, listMaskClasses } from '../store/maskClasses'
import { commitMaskRevision } from '../store/masks'
import { officialSplit } from '../store/officialSplit'
import { setMeta, type Project } from '../store/project'
import { saveSlideInfo } from '../store/slideInfo'
import { saveSplit } from '../store/splits'
import type { ImportPlan } from './importPlan'
import type { MaskClassMapping } from './importMaskClasses'
import type { PreparedImage } from './preparedImage'

/** What an import added to the project. */
export interface ImportSummary {
  images: number
  tiles: number
  masks: number
  labelled: number
  classesAdded: string[]
  /** Mask classes this import added (e.g. `lesion`). */
  maskClassesAdded: string[]
  /** Id of the saved official split, when the dataset ships one (ISIC-2017). */
  officialSplitId: number | null
  imageIds: number[]
}

const CLASS_COLOURS = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#fabebe',
  '#008080',
]
/**
 * Writes a prepared import in one transaction: the image labels and mask classes it adds, every image with
 * its tiles, mask and labels, and the official split when the dataset ships one. Nothing is written when
 * any of it fails.
 */
export function writeImportRows(
  project: Project,
  plan: ImportPlan,
  prepared: readonly PreparedImage[],
  masks: MaskClassMapping,
  projectIsEmpty: boolean,
): ImportSummary {
  const summary: ImportSummary = {
    images: 0,
    tiles: 0,
    masks: 0,
    labelled: 0,
    classesAdded: [],
    maskClassesAdded: [],
    officialSplitId: null,
    imageIds: [],
  }
  project.db
    .transaction(() => {
      if (projectIsEmpty) setMeta(project, 'labelMode', plan.labelMode)
      const classIds = new Map<string, number>()
      for (const name of plan.classes) {
        const existing = classByName(project, name)
        if (existing) classIds.set(name, existing.id)
        else {
          const n = listClasses(project).length
          classIds.set(name, addClass(project, name, CLASS_COLOURS[n % CLASS_COLOURS.length]))
          summary.classesAdded.push(name)
        }
      }
      // Mask values were remapped for these values while preparing: refuse if another change took them.
      if (largestMaskValue(project) + 1 !== masks.firstNewValue)
        throw new Error('The mask classes changed while importing: run the import again')
      for (const name of masks.added) {
        addMaskClass(project, name)
        summary.maskClassesAdded.push(name)
      }
      const maskClassId = new Map(listMaskClasses(project).map((m) => [m.name, m.id]))
      for (const [label, maskName] of Object.entries(plan.labelMaskClasses ?? {})) {
        const cls = classByName(project, label)
        const target = maskClassId.get(maskName)
        if (cls && target !== undefined && (cls.maskClassId ?? null) === null)
          linkLabelToMaskClass(project, cls.id, target)
      }
      let anyOfficial = false
      for (const p of prepared as PreparedImage[]) {
        const id = insertImage(project, {
          blob: p.blob,
          name: p.item.name,
          width: p.width,
          height: p.height,
          channels: p.channels,
          format: p.format,
          sourcePath: p.item.file,
          officialSplit: (p.item.officialSplit ?? null) as Subset | null,
        })
        anyOfficial ||= Boolean(p.item.officialSplit)
        summary.imageIds.push(id)
        if (p.slide) saveSlideInfo(project, id, p.slide)
        for (const t of p.tiles) insertTile(project, { imageId: id, ...t })
        summary.tiles += p.tiles.length
        if (p.maskBlob) {
          commitMaskRevision(project, id, p.maskBlob, 'import')
          summary.masks++
        }
        if (p.item.labels) {
          setImageLabels(
            project,
            id,
            p.item.labels.map((n) => classIds.get(n) as number),
          )
          summary.labelled++
        }
      }
      summary.images = prepared.length
      if (anyOfficial) {
        summary.officialSplitId = saveSplit(project, {
          name: 'official',
          kind: 'official',
          seed: null,
          assignments: officialSplit(project),
        })
      }
    })
    .immediate()
  return summary
}
