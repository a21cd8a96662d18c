import type { TrainContext } from '../method'
import type { ClassificationData } from './classificationData'

/**
 * What every classification method does first: refuse images loaded at another size than the run asks for,
 * and keep each log line as a note on the run besides passing it to the worker's log.
 */
export function startClassifierRun(
  ctx: TrainContext<ClassificationData>,
  imageSize: unknown,
): { notes: string[]; log: (line: string) => void } {
  if (ctx.data.size !== Number(imageSize))
    throw new Error(`The images were loaded at ${ctx.data.size} px, the run asks for ${imageSize}`)
  const notes: string[] = []
  return {
    notes,
    log: (line) => {
      notes.push(line)
      ctx.log?.(line)
    },
  }
}
