import fs from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import {
  DATASET_FORMATS,
  importDataset,
  scanDataset,
  type DatasetFormat,
} from '../../core/data/importDataset'
import { ImportError } from '../../core/data/importError'
import { importImages } from '../../core/data/importImages'
import { importGeoJson } from '../../core/export/geoJsonImport'
import { IMAGE_EXTENSIONS } from '../../core/data/importPlan'
import { createRandomSplit } from '../../core/data/splitProject'
import { closeProject, createProject, isProjectDir, openProject } from '../../core/store/project'
import { countImages } from '../../core/store/images'
import { cancelOnSigint } from './sigintCancel'

function positiveInt(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`must be a positive integer, got ${v}`)
  return n
}

function positiveNumber(v: string): number {
  const n = Number(v)
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`must be a positive number, got ${v}`)
  return n
}

function integer(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`must be an integer, got ${v}`)
  return n
}

/** One file, or the image and slide files directly in a folder (sorted). */
function imageFiles(source: string): string[] {
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist`)
  if (!fs.statSync(source).isDirectory()) return [source]
  const files = fs
    .readdirSync(source)
    .filter((f) => IMAGE_EXTENSIONS.includes(path.extname(f).toLowerCase()))
    .sort()
    .map((f) => path.join(source, f))
  if (files.length === 0) throw new Error(`${source} holds no image or slide files`)
  return files
}

/** Progress on stderr: one rewritten line on a terminal, a line per tenth otherwise (logs stay short). */
function progressPrinter(): (done: number, total: number, file: string) => void {
  let lastTenth = -1
  return (done, total, file) => {
    if (process.stderr.isTTY) {
      process.stderr.write(
        `\rimporting ${done}/${total} ${file}`.slice(0, process.stderr.columns || 100).padEnd(40),
      )
      if (done === total) process.stderr.write('\n')
      return
    }
    const tenth = Math.floor((10 * done) / total)
    if (tenth !== lastTenth) {
      lastTenth = tenth
      process.stderr.write(`importing ${done}/${total} ${file}\n`)
    }
  }
}

export function importCommand(): Command {
  return new Command('import')
    .description(
      'Import a dataset folder into a project, all or nothing (Ctrl-C cancels, leaving it unchanged)',
    )
    .addHelpText(
      'after',
      `
Formats:
  isic2017  ISIC-2017_{Training,Validation,Test_v2}_Data/ (superpixels, metadata skipped),
            …_Part1_GroundTruth/ masks, …_Part3_GroundTruth.csv labels. Official split kept;
            classes melanoma, seborrheic_keratosis, nevus (both 0). Resized to 480 px.
  dermofit  a folder per class (AK BCC DF IEC MEL ML PYO SCC SK/SEB VASC), a folder per
            lesion holding its image and …mask.png. Resized to 480 px.
  folder    images/, optional masks/ (same stems; 0/255 or class indices), optional
            labels.csv: image, then one 0/1 column per class (several 1s = multi-label).
            Tiled to 480 px with blank padding.
  images    one image or whole slide (PNG, JPEG, TIFF, SVS, OME-TIFF, NDPI… see s4mi formats),
            or every such file directly in a folder; unlabelled, tiled to 480 px. Slides can be
            tiled at a magnification (--tile-magnification 20) or tile width (--tile-microns 240).
  geojson   QuPath GeoJSON (File › Export objects as GeoJSON): one file, or a folder of .geojson files
            named after their images; annotations and detections become a new mask revision of
            their image, classes matched by name to the project's mask classes (--create-classes
            adds missing ones). The project must exist.
The project folder is created when it does not exist yet (except for geojson).`,
    )
    .addOption(
      new Option('--format <format>', 'layout of the dataset folder')
        .choices([...DATASET_FORMATS, 'images', 'geojson'])
        .makeOptionMandatory(),
    )
    .argument('<path>', 'dataset folder')
    .argument('<project>', 'project folder (created if missing)')
    .addOption(
      new Option(
        '--preprocess <how>',
        'tile: 480 px tiles with blank padding; resize: whole image to 480 px',
      ).choices(['tile', 'resize']),
    )
    .option('--tile-size <px>', 'tile side in pixels', positiveInt, 480)
    .option(
      '--tile-magnification <x>',
      'slides: cut tiles at this magnification (e.g. 20 for 20×)',
      positiveNumber,
    )
    .option('--tile-microns <µm>', 'slides: cut tiles this many microns wide', positiveNumber)
    .option(
      '--mask-class <name>',
      'the mask class binary masks stand for (default: lesion for isic2017 and dermofit; a folder can name its own in mask_classes.csv)',
    )
    .option('--image <name>', 'geojson: the image a single file belongs to (default: by file name)')
    .option('--create-classes', 'geojson: add mask classes the file names but the project lacks')
    .option('--skip-unclassified', 'geojson: leave out features without a classification')
    .option('--split-seed <seed>', 'also save a random 70/10/20 split with this seed', integer)
    .option('--check', 'only check the folder and list its problems; import nothing')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        datasetPath: string,
        projectDir: string,
        o: {
          format: DatasetFormat | 'images' | 'geojson'
          preprocess?: 'tile' | 'resize'
          tileSize: number
          tileMagnification?: number
          tileMicrons?: number
          maskClass?: string
          splitSeed?: number
          check?: boolean
          json?: boolean
          image?: string
          createClasses?: boolean
          skipUnclassified?: boolean
        },
      ) => {
        if (o.format === 'geojson') {
          if (!isProjectDir(projectDir))
            throw new Error(`${projectDir} is not a project: import its images first`)
          const project = openProject(projectDir)
          try {
            const r = await importGeoJson(project, datasetPath, {
              image: o.image,
              createClasses: o.createClasses,
              skipUnclassified: o.skipUnclassified,
            })
            for (const s of r.skipped) process.stderr.write(`  left out ${s}\n`)
            console.log(
              o.json
                ? JSON.stringify(r, null, 2)
                : `Imported ${r.features} GeoJSON features into ${r.masks} masks (a new revision each)` +
                    (r.maskClassesAdded.length
                      ? `; new mask classes: ${r.maskClassesAdded.join(', ')}`
                      : '') +
                    (r.skipped.length ? `; ${r.skipped.length} features left out (listed above)` : ''),
            )
          } finally {
            closeProject(project)
          }
          return
        }
        if (o.tileMagnification !== undefined && o.tileMicrons !== undefined)
          throw new Error('give --tile-magnification or --tile-microns, not both')
        const tileScale =
          o.tileMagnification !== undefined
            ? { magnification: o.tileMagnification }
            : o.tileMicrons !== undefined
              ? { tileMicrons: o.tileMicrons }
              : undefined
        const files = o.format === 'images' ? imageFiles(datasetPath) : []
        const source = {
          format: o.format as DatasetFormat,
          path: datasetPath,
          preprocess: o.preprocess,
          maskClass: o.maskClass,
        }
        const printProblems = (e: ImportError) => {
          for (const p of e.problems) process.stderr.write(`  ${p.file}: ${p.problem}\n`)
          return new Error(
            `import refused: ${e.problems.length} problem(s) listed above; nothing was imported`,
          )
        }
        if (o.check && o.format === 'images') {
          console.log(`${datasetPath}: ${files.length} image or slide files`)
          return
        }
        if (o.check) {
          const plan = scanDataset(source)
          if (plan.problems.length > 0) throw printProblems(new ImportError(plan.problems))
          console.log(
            `${datasetPath}: ${plan.items.length} images, classes ${plan.classes.join(', ') || '(none)'}`,
          )
          return
        }
        const created = !isProjectDir(projectDir)
        if (created && fs.existsSync(projectDir) && fs.readdirSync(projectDir).length > 0) {
          throw new Error(`${projectDir} is neither a project nor an empty folder`)
        }
        const project = created
          ? createProject(projectDir, {
              name: path.basename(path.resolve(projectDir)),
              labelMode: 'multi-class',
              classes: [],
            })
          : openProject(projectDir)
        const sigint = cancelOnSigint()
        try {
          const options = {
            tileSize: o.tileSize,
            tileScale,
            signal: sigint.signal,
            onProgress: progressPrinter(),
          }
          const summary =
            o.format === 'images'
              ? await importImages(project, files, options)
              : await importDataset(project, source, options)
          const splitId = o.splitSeed === undefined ? null : createRandomSplit(project, o.splitSeed)
          if (o.json) console.log(JSON.stringify({ ...summary, randomSplitId: splitId }, null, 2))
          else {
            console.log(
              `Imported ${summary.images} images (${summary.tiles} tiles, ${summary.masks} masks, ${summary.labelled} labelled)` +
                ` into ${project.dir}` +
                (summary.classesAdded.length
                  ? `; new image labels: ${summary.classesAdded.join(', ')}`
                  : '') +
                ('maskClassesAdded' in summary && summary.maskClassesAdded.length
                  ? `; new mask classes: ${summary.maskClassesAdded.join(', ')}`
                  : '') +
                (summary.officialSplitId !== null ? '; official split saved' : '') +
                (splitId !== null ? `; random split seed ${o.splitSeed} saved` : ''),
            )
          }
        } catch (e) {
          if (e instanceof ImportError) throw printProblems(e)
          throw e
        } finally {
          sigint.release()
          const empty = created && countImages(project) === 0
          closeProject(project)
          // A failed first import leaves no half-made project folder behind.
          if (empty) fs.rmSync(project.dir, { recursive: true, force: true })
        }
      },
    )
}
