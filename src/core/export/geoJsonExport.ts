import path from 'node:path'
import { MASK_TILE, openStoredMask } from '../data/tiledMask'
import { atomicWriteFile } from '../store/atomicWrite'
import { listImages } from '../store/images'
import { listMaskClasses } from '../store/maskClasses'
import type { Project } from '../store/project'
import { annotationFileStem } from './annotationExport'
import { writeExportFolder } from './exportFolder'
import { traceMaskPolygons } from './maskTracing'
import { annotationFeature, type QuPathFeature } from './qupathGeoJson'

export interface GeoJsonExportSummary {
  dir: string
  /** Images written (those with a mask). */
  images: number
  /** Features written: one per image and mask class present. */
  features: number
  files: string[]
}

export function geoJsonFileName(imageName: string): string {
  return `${annotationFileStem(imageName)}.geojson`
}

/**
 * Writes each current mask as QuPath GeoJSON, one file per image (`<image>.geojson`), one annotation
 * feature per mask class present, named and coloured as the mask class. QuPath opens it with File ›
 * Import objects (or by dropping the file on the image). Outlines follow pixel edges, so the tracing
 * tolerance is 0 px: importing the file back gives the same pixels. Masks of slides are traced tile by tile.
 */
export async function exportGeoJson(
  project: Project,
  dir: string,
  opts: { overwrite?: boolean } = {},
): Promise<GeoJsonExportSummary> {
  const images = listImages(project).filter((i) => i.maskBlob)
  const classes = new Map(listMaskClasses(project).map((c) => [c.value, c]))
  const names = new Set<string>()
  for (const img of images) {
    const f = geoJsonFileName(img.name)
    if (names.has(f)) throw new Error(`Two images would export to the same file ${f}: rename one first`)
    names.add(f)
  }
  return writeExportFolder(dir, opts.overwrite, async (into) => {
    const files: string[] = []
    let count = 0
    for (const img of images) {
      const mask = await openStoredMask(project, img.maskBlob as string)
      const traced = await traceMaskPolygons(mask, MASK_TILE)
      const features: QuPathFeature[] = []
      for (const [value, polygons] of traced) {
        const cls = classes.get(value)
        if (!cls) throw new Error(`The mask of ${img.name} holds value ${value}, which is no mask class`)
        features.push(annotationFeature(img.name, cls, polygons))
      }
      const file = geoJsonFileName(img.name)
      atomicWriteFile(path.join(into, file), JSON.stringify({ type: 'FeatureCollection', features }))
      files.push(path.join(dir, file))
      count += features.length
    }
    return { dir, images: images.length, features: count, files }
  })
}
