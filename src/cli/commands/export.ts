import { Command, Option } from 'commander'
import { exportAnnotations } from '../../core/export/annotationExport'
import { importAnnotations } from '../../core/export/annotationImport'
import { exportGeoJson } from '../../core/export/geoJsonExport'
import { importGeoJson } from '../../core/export/geoJsonImport'
import { closeProject, openProject } from '../../core/store/project'

/**
 * `s4mi export`: masks as PNG and COCO RLE, labels as CSV, or (`--format geojson`) masks as QuPath GeoJSON;
 * `--import` reads such a folder back.
 */
export function exportCommand(): Command {
  return new Command('export')
    .description(
      'Export masks (PNG per image + COCO JSON with RLE) and image labels (CSV) to a folder, or import them back',
    )
    .argument('<project>', 'project folder')
    .argument('<folder>', 'folder to write (or, with --import, to read)')
    .addOption(
      new Option(
        '--format <format>',
        'masks: PNG + COCO JSON + labels CSV; geojson: a QuPath GeoJSON file per image (outlines on pixel edges: 0 px tolerance)',
      )
        .choices(['masks', 'geojson'])
        .default('masks'),
    )
    .addOption(
      new Option('--mask-values <kind>', 'PNG mask values: class indices or 0/255')
        .choices(['index', 'binary'])
        .default('index'),
    )
    .option('--overwrite', 'replace files in a <folder> that already holds some (refused otherwise)')
    .option('--import', 'read masks and labels from <folder> into the project instead')
    .addOption(
      new Option('--from <source>', 'with --import: read masks from')
        .choices(['png', 'coco', 'none'])
        .default('png'),
    )
    .option('--json', 'machine-readable output')
    .action(
      async (
        dir: string,
        folder: string,
        o: {
          format: 'masks' | 'geojson'
          maskValues: 'index' | 'binary'
          import?: boolean
          overwrite?: boolean
          from: 'png' | 'coco' | 'none'
          json?: boolean
        },
      ) => {
        const project = openProject(dir)
        try {
          if (o.format === 'geojson') {
            if (o.import) {
              const r = await importGeoJson(project, folder)
              console.log(
                o.json ? JSON.stringify(r) : `Imported ${r.features} GeoJSON features into ${r.masks} masks`,
              )
            } else {
              const r = await exportGeoJson(project, folder, { overwrite: o.overwrite })
              console.log(
                o.json
                  ? JSON.stringify(r)
                  : `Exported ${r.features} GeoJSON features of ${r.images} masks to ${r.dir}`,
              )
            }
          } else if (o.import) {
            const r = await importAnnotations(project, folder, { masks: o.from, labels: true })
            console.log(
              o.json
                ? JSON.stringify(r)
                : `Imported ${r.masks} masks and ${r.labelledImages} labelled images`,
            )
          } else {
            const r = await exportAnnotations(project, folder, {
              maskValues: o.maskValues,
              overwrite: o.overwrite,
            })
            console.log(
              o.json
                ? JSON.stringify(r)
                : `Exported ${r.masks} masks (${r.annotations} COCO annotations) and labels of ${r.labelledImages} images to ${r.dir}`,
            )
          }
        } finally {
          closeProject(project)
        }
      },
    )
}
