import path from 'node:path'
import { importPretrainedWeights, listCachedWeights } from '../models/pretrained/pretrainedCache'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

/** Where imported weights live: the app's data folder, shared by every project. */
export function weightsDir(dataDir: string): string {
  return path.join(dataDir, 'weights')
}

export function weightsHandlers(session: Session): HandlerGroup<'weights.list' | 'weights.import'> {
  const dir = weightsDir(session.options.dataDir)
  return {
    'weights.list': async () => listCachedWeights(dir),
    'weights.import': async ({ paths }) => importPretrainedWeights(paths, dir),
  }
}
