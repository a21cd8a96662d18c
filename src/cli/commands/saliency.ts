import { Command, Option } from 'commander'
import sharp from 'sharp'
import { atomicWriteFile } from '../../core/store/atomicWrite'
import { closeProject, openProject } from '../../core/store/project'
import { runSaliency } from '../../core/train/runSaliency'
import type { BackendChoice } from '../../core/engine/backend/selectBackend'
import { backendOption, chooseBackend } from './backendOption'
import { threadsOption } from './threadsOption'

/** `s4mi saliency PROJECT --run N --image ID --out FILE`: a run's saliency map over one image, as PNG. */
export function saliencyCommand(): Command {
  return new Command('saliency')
    .description("Draw a classification run's saliency map (gradient of a class score) over an image, as PNG")
    .argument('<project>', 'project folder')
    .requiredOption('--run <id>', 'the finished classification run', (v) => parseId(v, '--run'))
    .requiredOption('--image <id>', 'the image', (v) => parseId(v, '--image'))
    .requiredOption('--out <file>', 'PNG file to write')
    .option('--class <name>', 'the class whose score to explain (default: the predicted one)')
    .option('--opacity <0-1>', 'how strongly the map covers the image', (v) => Number(v), 0.7)
    .option('--map-only', 'write the map alone (grey levels), not drawn over the image')
    .addOption(
      new Option('--network <network>', "CASS runs: the CNN's map or the Transformer's")
        .choices(['cnn', 'vit'])
        .default('cnn'),
    )
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(
      async (
        dir: string,
        o: {
          run: number
          image: number
          out: string
          class?: string
          opacity: number
          mapOnly?: boolean
          network: 'cnn' | 'vit'
          threads?: number
          backend?: BackendChoice
        },
      ) => {
        // The gradient runs on tfjs.
        await chooseBackend(o)
        const project = openProject(dir)
        try {
          const s = await runSaliency(project, {
            runId: o.run,
            imageId: o.image,
            className: o.class,
            opacity: o.opacity,
            network: o.network,
          })
          const top = Math.max(...s.map) || 1
          const pixels = o.mapOnly ? Uint8Array.from(s.map, (v) => Math.round((255 * v) / top)) : s.overlay
          const png = await sharp(Buffer.from(pixels), {
            raw: { width: s.width, height: s.height, channels: o.mapOnly ? 1 : 3 },
          })
            .png()
            .toBuffer()
          atomicWriteFile(o.out, png)
          console.log(
            `Saliency of '${s.className}' (p = ${s.probability.toFixed(3)}) for image ${o.image}${s.tiles > 1 ? ` (${s.tiles} tiles stitched)` : ''}, run ${o.run} → ${o.out}`,
          )
        } finally {
          closeProject(project)
        }
      },
    )
}

function parseId(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number, got '${v}'`)
  return n
}
