import path from 'node:path'
import { appFolders } from '../../appFolders'
import type { SafetensorsFile } from '../nn/safetensors'
import { readSafetensorsFile } from '../nn/safetensorsFile'
import type { PretrainedArchitecture } from './pretrainedArchitectures'
import { cachedWeightsPath } from './pretrainedCache'

/**
 * The ImageNet weights the user imported for `architecture` (the newest import; nothing is downloaded), found
 * in the app's data folder and read only when load() is called, or null when there are none. What a run's
 * host hands a method as its TrainContext's imagenetWeights: the method itself never touches the disk.
 */
export function importedImagenet(
  architecture: PretrainedArchitecture['id'],
  weightsDir = path.join(appFolders().data, 'weights'),
): { file: string; load(): Promise<{ file: string; weights: SafetensorsFile }> } | null {
  const file = cachedWeightsPath(weightsDir, architecture)
  return file ? { file, load: async () => ({ file, weights: readSafetensorsFile(file) }) } : null
}

/** importedImagenet's weights, read at once. */
export async function importedImagenetWeights(
  architecture: PretrainedArchitecture['id'],
  weightsDir?: string,
): Promise<{ file: string; weights: SafetensorsFile } | null> {
  const found = importedImagenet(architecture, weightsDir)
  return found ? found.load() : null
}
