import { Command, Option } from 'commander'
import { exportAnnotations } from '../../core/export/annotationExport'
import { importAnnotations } from '../../core/export/annotationImport'
import { closeProject, openProject } from '../../core/store/project'

/** `s4mi export`: masks as PNG and COCO RLE, labels as CSV; `--import` reads such a folder back. */
export function exportCommand(): Command {
  return new Command('export')
    .description(
      'Export masks (PNG per image + COCO JSON with RLE) and image labels (CSV) to a folder, or import them back',
    )
    .argument('<project>', 'project folder')
    .argument('<folder>', 'folder to write (or, with --import, to read)')
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
          maskValues: 'index' | 'binary'
          import?: boolean
          overwrite?: boolean
          from: 'png' | 'coco' | 'none'
          json?: boolean
        },
      ) => {
        const project = openProject(dir)
        try {
          if (o.import) {
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
