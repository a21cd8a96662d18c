import type { Task } from './catalogueEntry'
import type { Method } from './method'
import { cassClassifier } from './classification/cassClassifier'
import { dinoClassifier } from './classification/dinoClassifier'
import { supervisedClassifier } from './classification/supervisedClassifier'
import { crossTeachingMethod } from './segmentation/crossTeaching'
import { picieMethod } from './segmentation/picie'
import { picieFpnNet, swinUnetNet, unetNet } from './segmentation/segmentationNets'
import { supervisedMethod } from './segmentation/supervised'

/**
 * The methods a run trains, built once for the catalogue (which adds how a project feeds them). Nothing
 * here reaches a project, a file or a Node module, so the training half of a run can go to a sandboxed
 * browser page (WebGPU, WebGL) while the run's host keeps the project; trainerBundle.test.ts bundles this
 * file for a browser to keep it so.
 */
export const segmentationTrainers = {
  supervised: supervisedMethod({ cnn: unetNet }),
  'cross-teaching': crossTeachingMethod({ cnn: unetNet, swin: swinUnetNet }),
  picie: picieMethod({ backbone: picieFpnNet }),
}

export const classificationTrainers = {
  supervised: supervisedClassifier(),
  dino: dinoClassifier(),
  cass: cassClassifier(),
}

const trainers: Record<Task, Record<string, Method<never>>> = {
  segmentation: segmentationTrainers,
  classification: classificationTrainers,
}

/** The method a run of `task` called `id` trains. */
export function trainableMethod(task: Task, id: string): Method<unknown> {
  const method = Object.hasOwn(trainers[task], id) ? trainers[task][id] : undefined
  if (!method) throw new Error(`No ${task} method '${id}' (known: ${Object.keys(trainers[task]).join(', ')})`)
  return method as Method<unknown>
}
