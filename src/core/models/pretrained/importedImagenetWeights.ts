import path from 'node:path'
import { appFolders } from '../../appFolders'
import type { SafetensorsFile } from '../nn/safetensors'
import { readSafetensorsFile } from '../nn/safetensorsFile'
import type { PretrainedArchitecture } from './pretrainedArchitectures'
import { cachedWeightsPath } from './pretrainedCache'

/**
 * The ImageNet weights the user imported for `architecture` (the newest import; nothing is downloaded),
 * read from the app's data folder, or null when there are none. What a run's host hands a method as its
 * TrainContext's imagenetWeights: the method itself never touches the disk.
 */
export async function importedImagenetWeights(
  architecture: PretrainedArchitecture['id'],
  weightsDir = path.join(appFolders().data, 'weights'),
): Promise<{ file: string; weights: SafetensorsFile } | null> {
  const file = cachedWeightsPath(weightsDir, architecture)
  return file ? { file, weights: readSafetensorsFile(file) } : null
}
